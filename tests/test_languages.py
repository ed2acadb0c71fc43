"""Product code in other languages is counted, never analysed, and the
verdict says the grades leave it out when there is much of it."""

from __future__ import annotations

from archreview.languages import other_language
from archreview.render import RenderContext, render
from archreview.scan import run_scan

APP = {
    "app/__init__.py": "",
    "app/views.py": "def index(request):\n    return 'ok'\n",
    "app/models.py": "class Item:\n    pass\n",
}


def test_which_files_count_as_code_in_another_language():
    assert other_language("frontend/src/app.component.ts", "source") == "TypeScript"
    assert other_language("web/src/App.vue", "source") == "Vue"
    assert other_language("svc/main.go", "source") == "Go"
    for path, role in [
        ("frontend/src/app.component.spec.ts", "test"),  # a test file
        ("frontend/src/types.d.ts", "source"),  # declarations only
        ("app/static/vendor/jquery.js", "source"),  # vendored
        ("app/static/app.min.js", "source"),  # minified
        ("docs/conf.js", "source"),  # documentation
        ("app/views.py", "source"),  # Python: analysed
        ("frontend/package.json", "source"),  # data
    ]:
        assert other_language(path, role) is None, path


def test_a_typescript_frontend_is_counted_and_named_in_the_verdict(git_repo, tmp_path):
    frontend = {f"frontend/src/page{i}.ts": f"export const page{i} = {i};\n" for i in range(25)}
    frontend["frontend/src/page0.spec.ts"] = "test('x', () => {});\n"
    frontend["frontend/node_modules/lib/index.js"] = "module.exports = 1;\n"
    git_repo.commit({**APP, **frontend, "frontend/src/App.vue": "<template><p/></template>\n"}, date="2025-01-10")
    result, _, config = run_scan(str(git_repo.path), cache_dir=tmp_path / "cache", jobs=1, offline=True)
    assert result.coverage.other_code == {"TypeScript": 25, "Vue": 1}
    report = render("markdown", result, RenderContext(config=config))
    assert "The grades cover the Python code only: the TypeScript and Vue code beside it (26 files) was not reviewed." in report
    assert "Code in other languages, not analysed (files): TypeScript (25), Vue (1)." in report


def test_a_few_scripts_in_another_language_are_listed_in_the_appendix_only(git_repo, tmp_path):
    git_repo.commit({**APP, "scripts/build.js": "console.log(1);\n"}, date="2025-01-10")
    result, _, config = run_scan(str(git_repo.path), cache_dir=tmp_path / "cache", jobs=1, offline=True)
    report = render("markdown", result, RenderContext(config=config))
    assert "Python code only" not in report
    assert "Code in other languages, not analysed (files): JavaScript (1)." in report
