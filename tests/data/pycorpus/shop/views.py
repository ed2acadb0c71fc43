"""Request handlers with the kinds of mistakes a real codebase has."""

import hashlib
import pickle
import random
import sqlite3
import subprocess
import tempfile

import requests
import yaml
from jinja2 import Environment

DEBUG_PASSWORD = "hunter2-not-really"
env = Environment(autoescape=False)


def order_total(order, discounts, taxes, region):
    total = 0
    for line in order["lines"]:
        if line.get("gift"):
            continue
        price = line["price"] * line["qty"]
        if line["sku"] in discounts:
            price -= discounts[line["sku"]]
        elif line.get("coupon") and region == "eu":
            price *= 0.9
        elif line.get("coupon"):
            price *= 0.95
        total += price
    if region in taxes and total > 0:
        total += total * taxes[region]
    elif region == "us" or region == "ca":
        total += 5
    try:
        total = round(total, 2)
    except TypeError:
        total = 0
    except ValueError:
        total = -1
    else:
        total = max(total, 0)
    return total if total < 10_000 else 10_000


def find_customer(db: sqlite3.Connection, name):
    query = "SELECT * FROM customers WHERE name = '%s'" % name
    return db.execute(query).fetchall()


def export(path):
    subprocess.call("tar czf /tmp/export.tgz " + path, shell=True)
    subprocess.call("ls " + path, shell=True)  # nosec
    subprocess.call("du -sh " + path, shell=True)  # nosec B602
    subprocess.run(["ls", path])  # nosec: B603, B607


def load_settings(raw):
    data = yaml.load(raw)
    state = pickle.loads(raw)
    return data, state


def fingerprint(blob):
    return hashlib.md5(blob).hexdigest()


def fetch_rates():
    return requests.get("https://rates.example.com/today", verify=False)


def token():
    return random.random()


def scratch_file():
    return tempfile.mktemp()


def check(user):
    assert user.is_admin
    try:
        user.touch()
    except Exception:
        pass


class Report:
    def render(self, rows, fmt):
        if fmt == "csv":
            return ",".join(rows)
        if fmt == "tsv":
            return "\t".join(rows)
        return eval("str(rows)")

    async def stream(self, rows):
        for row in rows:
            if row and row[0]:
                yield row


def cache_key(data):
    import hashlib

    return hashlib.md5(data).hexdigest()  # noqa: S324 - a cache key, reviewed with ruff
