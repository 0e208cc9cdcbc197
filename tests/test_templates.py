"""Jinja templates: each file's date is checked once a build (``render.refresh_templates``), and
compiled code is shared through a temporary folder (``template_cache``), never when the source or
the environment's settings differ."""

from __future__ import annotations

import os
import time
from pathlib import Path

import jinja2

from running_injuries import citations, render
from running_injuries.render import forget_changed_templates
from running_injuries.template_cache import TemplateCache, settings, template_cache


def edit(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    later = time.time() + 10  # a later date than the first write, however coarse the clock
    os.utime(path, (later, later))


def test_an_edited_template_is_loaded_again_only_after_a_refresh(tmp_path: Path) -> None:
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path), auto_reload=False)
    edit(tmp_path / "page.html", "first {{ x }}")
    first = environment.get_template("page.html")
    edit(tmp_path / "page.html", "second {{ x }}")
    assert environment.get_template("page.html") is first  # within a build: no check of the file
    forget_changed_templates(environment)
    assert environment.get_template("page.html").render(x=1) == "second 1"
    unchanged = environment.get_template("page.html")
    forget_changed_templates(environment)
    assert environment.get_template("page.html") is unchanged  # nothing changed: kept


def test_the_build_checks_its_templates_once_a_build_not_on_every_use() -> None:
    assert not render._ENV.auto_reload and not citations.template_environment().auto_reload
    loaded = render.template("csp_meta.html.j2")
    render.refresh_templates()  # no file changed: the same template
    assert render.template("csp_meta.html.j2") is loaded


def compiled(folder: Path) -> list[Path]:
    return sorted(folder.glob("__jinja2_*.cache"))


def test_compiled_code_is_shared_and_compiled_again_when_the_source_changes(tmp_path: Path) -> None:
    templates, folder = tmp_path / "templates", tmp_path / "cache"
    templates.mkdir()
    folder.mkdir()
    edit(templates / "page.html", "{% for i in range(3) %}{{ i }}{% endfor %}")

    def fresh_environment() -> jinja2.Environment:
        environment = jinja2.Environment(loader=jinja2.FileSystemLoader(templates))
        environment.bytecode_cache = TemplateCache(str(folder), settings(environment))
        return environment

    assert fresh_environment().get_template("page.html").render() == "012"
    assert len(compiled(folder)) == 1
    written = compiled(folder)[0].read_bytes()

    calls: list[str] = []
    second = fresh_environment()
    real_compile = second.compile

    def counting(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append("compile")
        return real_compile(*args, **kwargs)

    second.compile = counting  # type: ignore[method-assign]
    assert second.get_template("page.html").render() == "012"
    assert calls == []  # loaded as compiled by the first environment

    edit(templates / "page.html", "{% for i in range(2) %}[{{ i }}]{% endfor %}")
    third = fresh_environment()
    assert third.get_template("page.html").render() == "[0][1]"  # the checksum differs: compiled again
    assert compiled(folder)[0].read_bytes() != written


def test_environments_with_other_settings_never_share_code(tmp_path: Path) -> None:
    plain = jinja2.Environment()
    trimmed = jinja2.Environment(trim_blocks=True)
    escaped = jinja2.Environment(autoescape=True)
    with_extension = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    assert len({settings(e) for e in (plain, trimmed, escaped, with_extension)}) == 4
    assert settings(plain) == settings(jinja2.Environment())
    key = TemplateCache(str(tmp_path), settings(plain)).get_cache_key("page.html", "/t/page.html")
    assert key != TemplateCache(str(tmp_path), settings(trimmed)).get_cache_key("page.html", "/t/page.html")


def test_the_cache_folder_is_one_per_process() -> None:
    first, second = template_cache(jinja2.Environment()), template_cache(jinja2.Environment())
    assert first.directory == second.directory and Path(first.directory).is_dir()
