from flask import Flask

app = Flask(__name__)


def nested(items):
    def keep(item):
        return item and item.get("ok") and not item.get("hidden")

    return [i for i in items if keep(i)]


class Outer:
    class Inner:
        def deep(self, x):
            if x:
                return 1
            return 2

    def method(self, a, b):
        while a:
            a -= 1
        else:
            b += 1
        return lambda: a if b else None


if __name__ == "__main__":
    app.run(host="0.0.0.0", debug=True)
