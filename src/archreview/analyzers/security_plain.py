"""One sentence per bandit test, for a reader who does not read code."""

from __future__ import annotations

_BY_ID = {
    "B101": "The code relies on assert statements, which Python skips when optimised, so a check here may silently not run in production.",
    "B102": "The code runs text as Python code with exec, so anyone who controls that text can take over the server.",
    "B103": "A file is given permissions that let other users on the machine read or change it.",
    "B104": "A server listens on every network interface, which can expose it to networks it was not meant for.",
    "B105": "A password appears to be written directly in the code, where anyone with access to the code can read it.",
    "B106": "A password appears to be written directly in the code, where anyone with access to the code can read it.",
    "B107": "A password default is written in the code, where anyone with access to the code can read it.",
    "B108": "A temporary file is created in a shared folder with a guessable name, which other programs can tamper with.",
    "B110": "Errors are caught and silently ignored here, so failures can go unnoticed.",
    "B112": "Errors are caught and silently skipped here, so failures can go unnoticed.",
    "B113": "A web request has no time limit, so a slow outside service can hang this part of the product.",
    "B201": "The web app can run in debug mode, which lets visitors run code on the server if it reaches production.",
    "B202": "An archive is unpacked without checking its contents, so a crafted file could overwrite files on the server.",
    "B301": "The code loads pickled data, which runs code hidden in that data if an attacker can supply it.",
    "B302": "The code loads marshalled data, which is unsafe if an attacker can supply it.",
    "B303": "The code uses a weak hash (such as MD5 or SHA-1) that attackers can break: it matters where the hash guards passwords or signed data, not where it only names files or records.",
    "B304": "The code uses an outdated encryption method that attackers can break.",
    "B305": "The code uses an encryption mode that leaks patterns in the data.",
    "B306": "The code creates temporary files in a way that another program can hijack.",
    "B307": "The code evaluates text as Python code, so anyone who controls that text can take over the server.",
    "B308": "Text is marked as safe HTML without escaping, which can let attackers inject scripts into pages.",
    "B310": "The code opens web addresses that may point to local files or unexpected schemes.",
    "B311": "The code uses a random number generator that is not safe for passwords, tokens or keys.",
    "B312": "The code uses Telnet, which sends data and passwords unencrypted.",
    "B313": "XML is parsed in a way that attackers can abuse with crafted files.",
    "B314": "XML is parsed in a way that attackers can abuse with crafted files.",
    "B315": "XML is parsed in a way that attackers can abuse with crafted files.",
    "B316": "XML is parsed in a way that attackers can abuse with crafted files.",
    "B317": "XML is parsed in a way that attackers can abuse with crafted files.",
    "B318": "XML is parsed in a way that attackers can abuse with crafted files.",
    "B319": "XML is parsed in a way that attackers can abuse with crafted files.",
    "B320": "XML is parsed in a way that attackers can abuse with crafted files.",
    "B321": "The code uses FTP, which sends data and passwords unencrypted.",
    "B323": "Secure connections are made without checking certificates, so traffic can be intercepted.",
    "B324": "The code uses a weak hash (such as MD5 or SHA-1) that attackers can break: it matters where the hash guards passwords or signed data, not where it only names files or records.",
    "B501": "Web requests are made without checking certificates, so traffic can be intercepted.",
    "B502": "The code allows an outdated, broken version of encrypted connections.",
    "B503": "The code allows an outdated, broken version of encrypted connections.",
    "B504": "Encrypted connections are set up without naming a safe protocol version.",
    "B505": "An encryption key is too short to be safe.",
    "B506": "YAML is loaded in a way that can run code hidden in the file.",
    "B507": "SSH connections accept any server without checking who it is, so traffic can be intercepted.",
    "B601": "A shell command is built in a way that may let attackers run their own commands.",
    "B602": "A command runs through the system shell, so text from users could run other commands on the server.",
    "B603": "A program is started from the code; if any of its arguments come from users this needs care.",
    "B604": "A function is called with shell=True, which can let attackers run their own commands.",
    "B605": "A command is started through the system shell, so text from users could run other commands.",
    "B606": "A program is started without a shell; it still needs checking if arguments come from users.",
    "B607": "A program is started by name without its full path, so a planted program with that name could run instead.",
    "B608": "A database query is built by joining text, which can let attackers read or change the database (SQL injection).",
    "B609": "A shell command uses a wildcard that attackers can abuse with crafted file names.",
    "B610": "A database query is built with raw SQL pieces, which can let attackers read or change the database.",
    "B611": "A database query is built with raw SQL, which can let attackers read or change the database.",
    "B612": "Logging configuration can be changed over the network, which can let attackers run code.",
    "B613": "The file contains invisible characters that can make code look different from what it does.",
    "B614": "A machine-learning model file is loaded in a way that can run code hidden in it.",
    "B615": "A model is downloaded without pinning a version, so a changed upstream file could run code.",
    "B701": "Web templates do not escape HTML by default, which can let attackers inject scripts into pages.",
    "B702": "Mako templates do not escape HTML by default, which can let attackers inject scripts into pages.",
    "B703": "Text is marked as safe HTML without escaping, which can let attackers inject scripts into pages.",
    "B704": "Text is marked as safe HTML without escaping, which can let attackers inject scripts into pages.",
}

_BY_GROUP = {
    "B4": "The code imports a module known to be risky; check how it is used.",
    "B3": "The code calls a function known to be risky; check how it is used.",
}

_DEFAULT = "The security scanner flagged this code as risky; an engineer should check it."


def plain_sentence(test_id: str) -> str:
    if test_id in _BY_ID:
        return _BY_ID[test_id]
    return _BY_GROUP.get(test_id[:2], _DEFAULT)
