"""Secret detection shared by the ``secrets`` and ``secrets-history``
analyzers and by the redaction of other analyzers' output.

* :mod:`.pack`     - loads and checks the TOML rule pack (``checks/secrets.toml``);
* :mod:`.paths`    - what kind of file a path is, and which paths are never read;
* :mod:`.keywords` - the keyword prefilter (one Aho-Corasick pass per file);
* :mod:`.allow`    - entropy and the placeholder allow-list;
* :mod:`.detect`   - rules applied to a file's bytes, giving redacted hits;
* :mod:`.redact`   - previews and the redaction of arbitrary text.

A secret value exists only inside :func:`.detect.Detector.scan`; everything
it returns (and everything built from that) holds the redacted preview.
"""
