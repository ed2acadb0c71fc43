"""The keyword prefilter: where in a file any rule's keywords occur.

One Aho-Corasick pass over the lower-cased bytes finds every keyword of every
rule at once (``ahocorasick_rs``, a compiled extension). Where that package is
missing, ``bytes.find`` per keyword gives the same answer more slowly.
Keywords marked case-sensitive are checked against the original bytes.
Rules with a ``keyword_regex`` are left out: the detector finds their
occurrences with that regex.
"""

from __future__ import annotations

from collections import defaultdict

try:  # pragma: no cover - which branch runs depends on the installation
    import ahocorasick_rs
except ImportError:  # pragma: no cover
    ahocorasick_rs = None

#: occurrences of one keyword beyond which a file is not searched further for it
MAX_HITS_PER_KEYWORD = 5000


class KeywordIndex:
    """Maps each distinct keyword to the rules that use it."""

    def __init__(self, rules, use_automaton: bool | None = None):
        owners: dict[bytes, list[tuple[int, bytes | None]]] = defaultdict(list)
        for index, rule in enumerate(rules):
            if rule.keyword_regex is not None:
                continue  # found by its own regex (Detector.scan)
            for word in rule.keywords:
                owners[word].append((index, None))
            for word in rule.keywords_case:
                owners[word.lower()].append((index, word))
        self.words = list(owners)
        self.owners = [owners[w] for w in self.words]
        if use_automaton is None:
            use_automaton = ahocorasick_rs is not None
        self._automaton = None
        if use_automaton and self.words:
            if ahocorasick_rs is None:
                raise RuntimeError("ahocorasick_rs is not installed")
            self._automaton = ahocorasick_rs.BytesAhoCorasick(self.words)

    @property
    def uses_automaton(self) -> bool:
        return self._automaton is not None

    def find(self, data: bytes, lowered: bytes) -> dict[int, list[int]]:
        """{rule index: sorted start offsets of its keywords}."""
        found: dict[int, list[int]] = {}
        words, owners = self.words, self.owners
        for word_index, start in self._occurrences(lowered):
            for rule_index, exact in owners[word_index]:
                if exact is not None and data[start : start + len(words[word_index])] != exact:
                    continue
                positions = found.get(rule_index)
                if positions is None:
                    found[rule_index] = [start]
                else:
                    positions.append(start)
        for positions in found.values():
            positions.sort()
        return found

    def any(self, lowered: bytes) -> bool:
        """Whether any keyword occurs in ``lowered`` (lower-cased bytes); a
        case-sensitive keyword counts whatever its case, so this is a
        superset of what :meth:`find` reports."""
        if self._automaton is not None:
            return bool(self._automaton.find_matches_as_indexes(lowered, overlapping=False))
        return any(word in lowered for word in self.words)

    def _occurrences(self, lowered: bytes):
        if self._automaton is not None:
            matches = self._automaton.find_matches_as_indexes(lowered, overlapping=True)
            if len(matches) <= MAX_HITS_PER_KEYWORD:  # no keyword can be over the limit
                for word_index, start, _end in matches:
                    yield word_index, start
                return
            counts: dict[int, int] = defaultdict(int)
            for word_index, start, _end in matches:
                counts[word_index] += 1
                if counts[word_index] <= MAX_HITS_PER_KEYWORD:
                    yield word_index, start
            return
        for word_index, word in enumerate(self.words):
            start = lowered.find(word)
            count = 0
            while start != -1 and count < MAX_HITS_PER_KEYWORD:
                yield word_index, start
                count += 1
                start = lowered.find(word, start + 1)
