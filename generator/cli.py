"""``digest`` command line: parse arguments, run a stage, turn the outcome into an exit code."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import signal
import sys
import textwrap
import time
from datetime import datetime, timezone
from pathlib import Path

from . import __version__
from .cli_help import EPILOG, EXAMPLES
from .config import default_config, load_config
from .errors import DigestError, Problem, display_path
from .fingerprint import input_fingerprint, read_record, unchanged_since

# The pipeline, the console and the ingest modules are imported by the commands that use them:
# a build that finds nothing changed answers before numpy or Jinja would have loaded.

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


def _parser() -> argparse.ArgumentParser:
    # Common options are accepted before or after the command ("digest build --quiet").
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, default=argparse.SUPPRESS,
                        help="site configuration (default: site.yaml)")
    common.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                        help="print errors only")
    common.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                        help="print more: each build step and its time, each ingested page, each served "
                             "request")
    parser = argparse.ArgumentParser(prog="digest", description="Static news-digest site generator.",
                                     epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
                                     parents=[common])
    parser.add_argument("--version", action="version", version=f"digest {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, description: str, **kwargs) -> argparse.ArgumentParser:
        # Raw, to keep the examples' lines; so the description is wrapped here.
        return commands.add_parser(name, parents=[common], epilog=EXAMPLES[name], description=textwrap.fill(
            description, 78), formatter_class=argparse.RawDescriptionHelpFormatter, **kwargs)

    init_cmd = command("init", help="make a new site folder", description="Make a new site in DIR that "
                       "`digest build` turns into a site at once.")
    init_cmd.add_argument("dir", type=Path, metavar="DIR")
    init_cmd.add_argument("--title", help="the site's title (default: the folder's name)")
    init_cmd.add_argument("--base-url", default="https://example.org/",
                          help="where the site will be published (default: %(default)s; change it before "
                               "publishing, feeds and the sitemap use it)")
    init_cmd.add_argument("--copy-theme", action="store_true",
                          help="copy the default theme into themes/default/ to customise, instead of "
                               "using the one digest ships with")
    init_cmd.add_argument("--force", action="store_true", help="add the missing files to a folder that is not empty")

    new_cmd = command("new", help="write a new article", description="Write a new Markdown article into "
                      "content_dir, with valid front matter and a stable id.")
    new_cmd.add_argument("title", metavar="TITLE")
    new_cmd.add_argument("--tags", default="", help='comma-separated topic names, e.g. "Putin, Kremlin"')
    new_cmd.add_argument("--slug", help="the file name and URL slug (default: made from the title)")
    new_cmd.add_argument("--date", help="ISO 8601 date (default: now, in the site's time zone)")

    check_cmd = command("check", help="validate site.yaml and every article without building",
                        description="Validate site.yaml and every article without building: front matter, "
                                    "unknown fields and tags, duplicate slugs and ids, broken internal links, "
                                    "dates in the future, templates that do not compile or fail on the articles.")
    check_cmd.add_argument("--strict", action="store_true", help="warnings fail the check too (for CI)")
    check_cmd.add_argument("--content", type=Path, help="articles folder (default: content_dir from site.yaml)")
    check_cmd.add_argument("-j", "--jobs", type=_positive_int, metavar="N",
                           help="processes to load articles with (default: every core)")

    serve_cmd = command("serve", help="build, serve on 127.0.0.1 and rebuild on changes",
                        description="Build the site, serve it on 127.0.0.1 and rebuild it as you edit.")
    serve_cmd.add_argument("--port", type=_port, default=8000,
                           help="port to serve on (default: %(default)s; 0: any free port)")
    serve_cmd.add_argument("--host", default="127.0.0.1",
                           help="address to serve on (default: %(default)s, this machine only; 0.0.0.0 shows "
                                "the preview to your network)")
    serve_cmd.add_argument("-j", "--jobs", type=_positive_int, metavar="N",
                           help="processes for the heavy steps (default: every core)")

    ingest_cmd = command("ingest", help="clean scraped articles into Markdown",
                                     description="Clean each scraped page in RAW_DIR (.txt text dumps, "
                                                 ".html/.htm pages, optionally .gz) into OUT_DIR/<stem>.md.")
    ingest_cmd.add_argument("raw_dir", type=Path, metavar="RAW_DIR")
    ingest_cmd.add_argument("--out", type=Path, required=True, metavar="OUT_DIR", dest="out_dir")
    ingest_cmd.add_argument("--force", action="store_true", help="overwrite articles edited by hand")
    ingest_cmd.add_argument("--report", type=Path, metavar="FILE",
                            help="write what was kept and dropped per page, and why (JSON if FILE ends in .json)")

    build_cmd = command("build", help="build the site from Markdown articles",
                                    description="Build the site into output_dir (default site/).")
    build_cmd.add_argument("--content", type=Path, help="articles folder (default: content_dir from site.yaml)")
    build_cmd.add_argument("--output", type=Path, help="output folder (default: output_dir from site.yaml)")
    build_cmd.add_argument("--clean", action="store_true",
                           help="ignore the build cache: load every article, render every page and write "
                                "every file, even when nothing changed since the last build")
    build_cmd.add_argument("--refit", action="store_true",
                           help="fit the text model of a large site afresh (related.model), even when "
                                "the kept one still fits its articles")
    build_cmd.add_argument("-j", "--jobs", type=_positive_int, metavar="N",
                           help="processes for the heavy steps (default: every core, or every worker thread "
                                "of a Dask cluster); the output is the same for any number")
    build_cmd.add_argument("--executor", choices=("processes", "dask"), default="processes",
                           help="where the per-article and per-page work runs: processes on this machine "
                                "(default), or an existing Dask distributed cluster (needs --scheduler and "
                                "pip install 'digest[dask]'); the output is the same bytes")
    build_cmd.add_argument("--scheduler", metavar="ADDRESS",
                           help="the Dask scheduler for --executor dask, e.g. tcp://10.0.0.5:8786")

    for name, what in (("related", "each article's related articles, best first"),
                       ("tags", "each article's tags, inferred ones included")):
        cmd = command(name, help=f"print {what}",
                                  description=f"Print {what}, for the articles in --content (default: "
                                              "content_dir from site.yaml). Any folder of *.md articles with "
                                              "front matter works, tagged or not; without a site.yaml the "
                                              "defaults apply.")
        cmd.add_argument("--content", type=Path, help="articles folder (default: content_dir from site.yaml)")
        cmd.add_argument("--json", action="store_true", help="print {file stem: [...]} as JSON")
        if name == "tags":
            cmd.add_argument("--suggest", action="store_true",
                             help="list topics found in the articles' text, with counts and examples, "
                                  "ready to accept into site.yaml")
    return parser


def _port(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = -1
    if not 0 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 0 to 65535, got {text!r}")
    return number


def _positive_int(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return number


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # Defaults are applied here: argparse parents share actions, so a default set on the
    # top-level parser would also overwrite a value given before the command.
    args.config = getattr(args, "config", Path("site.yaml"))
    args.quiet = getattr(args, "quiet", False)
    args.verbose = getattr(args, "verbose", False) and not args.quiet

    def say(message: str) -> None:
        if not args.quiet:
            print(message)

    def warn(message: str) -> None:
        if not args.quiet:
            print(f"{_label('warning', sys.stderr)} {message}", file=sys.stderr)

    # SIGTERM (cron timeouts, systemd) unwinds like Ctrl-C, so temporary folders are removed.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        if args.command == "init":
            return _init(args, say)
        if args.command in ("related", "tags") and not args.config.exists() and args.content:
            config = default_config(Path.cwd())  # any folder of articles, no site needed
        else:
            config = load_config(args.config)
        if args.command == "ingest":
            return _ingest(args, config, say, warn)
        if args.command in ("related", "tags"):
            return _listing(args, config)
        if args.command == "new":
            return _new(args, config, say, warn)
        if args.command == "check":
            return _check(args, config, say)
        if args.command == "serve":
            return _serve(args, config, say, warn)
        return _build(args, config, say, warn)
    except DigestError as exc:
        _print_errors(exc.problems)
        return EXIT_ERROR
    except BrokenPipeError:  # `digest tags | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit's flush fails not
        return EXIT_OK
    except OSError as exc:
        print(f"{_label('error', sys.stderr)} {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        kept = {"build": "the previous site is unchanged", "ingest": "articles written so far are complete",
                "serve": "stopped"}.get(args.command, "stopped")
        print(f"interrupted; {kept}", file=sys.stderr)
        return EXIT_INTERRUPTED


_COLOURS = {"error": "31", "warning": "33"}  # ANSI red, yellow


def _label(kind: str, stream) -> str:
    """``error:`` or ``warning:``, coloured only on a terminal (and never under NO_COLOR)."""
    colour = stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"
    return f"\033[1;{_COLOURS[kind]}m{kind}:\033[0m" if colour else f"{kind}:"


def _print_errors(problems) -> None:
    if any(problem.keys for problem in problems):
        from .check import at_stated_line  # only here: check imports most of the build
        problems = [at_stated_line(problem) for problem in problems]
    for problem in problems:
        print(f"{_label('error', sys.stderr)} {problem}", file=sys.stderr)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _init(args, say) -> int:
    from .scaffold import CONFIG_NAME, init_site

    folder = args.dir
    title = args.title or folder.resolve().name.replace("-", " ").replace("_", " ").strip().title()
    made = init_site(folder, title, _base_url(args.base_url), datetime.now(timezone.utc), args.copy_theme,
                     add_missing=args.force)
    for path in made.created:
        say(f"created {display_path(path)}")
    for path in made.kept:
        say(f"kept    {display_path(path)} (there already)")
    config = folder / CONFIG_NAME
    go = "" if folder.resolve() == Path.cwd() else f"cd {display_path(folder)} && "
    say(f"\nNext: {go}digest build   (or digest serve to preview as you edit); settings in {display_path(config)}")
    return EXIT_OK


def _base_url(text: str) -> str:
    from .config import valid_base_url

    if not valid_base_url(text):
        raise DigestError.at(f"--base-url {text!r} is not an absolute http(s) URL without query or fragment", None,
                             hint="e.g. --base-url https://news.example.org/")
    return text if text.endswith("/") else text + "/"


def _new(args, config, say, warn) -> int:
    from .load import DATE_RANGE_HINT, in_range
    from .scaffold import new_article, taken_slugs
    from .taxonomy import Vocabulary
    from .text import normalize_key

    if args.date:
        try:
            date = datetime.fromisoformat(args.date.replace("Z", "+00:00"))
        except ValueError:
            raise DigestError.at(f"--date {args.date!r} is not a date", None,
                                 hint="use ISO 8601, e.g. 2024-03-30 or 2024-03-30T14:05:00+03:00") from None
        date = date if date.tzinfo else date.replace(tzinfo=config.zone)
        if not in_range(date):  # the build would refuse the article
            raise DigestError.at(f"--date {date.isoformat()} is out of range", None, hint=DATE_RANGE_HINT)
    else:
        date = datetime.now(config.zone)
    tags = [tag.strip() for tag in args.tags.split(",") if tag.strip()]
    path = new_article(config, args.title, tags, date, args.slug, taken_slugs(config))
    vocabulary = Vocabulary.from_topics(config.topics)
    for tag in tags:
        if config.topics and normalize_key(tag) not in vocabulary.canonical:
            warn(str(Problem(f"tag {tag!r} is not a topic in site.yaml", path, None,
                             "add it under topics in site.yaml, or use a topic's name")))
    say(display_path(path))
    return EXIT_OK


def _check(args, config, say) -> int:
    from .check import check_site

    if args.content:
        config = dataclasses.replace(config, content_dir=args.content.resolve())
    report = check_site(config, datetime.now(timezone.utc), jobs=args.jobs)
    _print_errors(report.errors)
    for problem in report.warnings:
        if args.strict or not args.quiet:  # under --strict a warning fails the check: never hidden
            print(f"{_label('warning', sys.stderr)} {problem}", file=sys.stderr)
    strict = " (--strict: warnings fail)" if args.strict and report.warnings else ""
    say(f"checked {_count(report.articles, 'article')}: {_count(len(report.errors), 'error')}, "
        f"{_count(len(report.warnings), 'warning')}{strict}")
    return EXIT_ERROR if report.failed(strict=args.strict) else EXIT_OK


def _serve(args, config, say, warn) -> int:
    from .pipeline import build
    from .serve import serve

    latest = [config]  # the configuration of the last build: serve watches its folders

    def rebuild() -> str:
        current = dataclasses.replace(load_config(args.config), output_dir=config.output_dir)  # site.yaml edits apply
        latest[0] = current
        started = time.perf_counter()
        if args.quiet or not sys.stderr.isatty():
            report = build(current, warn, args.jobs)
        else:
            from .console import ProgressBar

            with ProgressBar() as bar:  # silent under 300 articles, as for digest build
                report = build(current, warn, args.jobs, bar)
        return _summary(report, time.perf_counter() - started, current)

    serve(config, rebuild, host=args.host, port=args.port, say=say, warn=warn,
          error=lambda message: print(f"{_label('error', sys.stderr)} {message}", file=sys.stderr),
          ready=None if not args.quiet else lambda url: print(f"serving {url}"), verbose=args.verbose,
          settings=lambda: latest[0])
    return EXIT_OK


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _summary(report, seconds: float, config) -> str:
    return (f"built {_count(report.articles, 'article')}, {_count(report.tags, 'tag')}: "
            f"{_count(report.pages, 'page')} ({report.rendered} rendered), "
            f"{_count(report.feeds, 'feed')}, {_count(report.files, 'file')} "
            f"({report.changed} changed, {report.bytes / 1e6:.1f} MB) "
            f"in {seconds:.2f}s -> {display_path(config.output_dir)}")


def _ingest(args, config, say, warn) -> int:
    from .ingest.raw import SUFFIX_NAMES
    from .ingest.report import DUPLICATE, KEPT_EDITED, STATUSES
    from .ingest_stage import ingest

    if args.quiet or args.verbose or not sys.stderr.isatty():
        report = ingest(args.raw_dir, args.out_dir, config, warn, force=args.force, report_path=args.report)
    else:
        from .console import MIN_PAGES, ProgressBar

        with ProgressBar(min_total=MIN_PAGES) as bar:
            report = ingest(args.raw_dir, args.out_dir, config, warn, force=args.force, report_path=args.report,
                            progress=bar)
    for path in report.ignored:
        warn(str(Problem(f"not a page ({SUFFIX_NAMES}); ignored", path)))
    for outcome in report.having(KEPT_EDITED) + report.having(DUPLICATE):
        warn(f"{display_path(outcome.raw)}: {outcome.detail}")
    if args.verbose:
        for outcome in report.outcomes:
            target = f" -> {display_path(outcome.target)}" if outcome.target else ""
            print(f"{display_path(outcome.raw)}: {outcome.status}{target}", file=sys.stderr)
    _print_errors(report.failed)
    counts = ", ".join(f"{len(report.having(status))} {status}" for status in STATUSES)
    say(f"ingested {len(report.outcomes)} pages: {counts} -> {display_path(args.out_dir)}")
    if args.report:
        say(f"report: {display_path(args.report)}")
    return EXIT_ERROR if report.failed else EXIT_OK


def _listing(args, config) -> int:
    if args.content:
        config = dataclasses.replace(config, content_dir=args.content.resolve())
    if getattr(args, "suggest", False):
        return _suggest(args, config)
    from .pipeline import related_by_stem, tags_by_stem

    found = related_by_stem(config) if args.command == "related" else tags_by_stem(config)
    if args.json:
        print(json.dumps(found, ensure_ascii=False, indent=1))
    else:
        for stem, items in found.items():
            print(f"{stem}: {', '.join(items) if items else '-'}")
    return EXIT_OK


def _suggest(args, config) -> int:
    from .pipeline import MIN_TOPIC_ARTICLES, suggested_topics

    topics = suggested_topics(config)
    if args.json:
        print(json.dumps([dict(name=t.name, keywords=list(t.keywords), articles=t.articles, untagged=t.untagged,
                               examples=[stem for stem, _ in t.examples]) for t in topics],
                         ensure_ascii=False, indent=1))
        return EXIT_OK
    if not topics:
        print("no topics suggested: the articles form no stable groups (or there are fewer than "
              f"{MIN_TOPIC_ARTICLES})")
        return EXIT_OK
    total = sum(t.articles for t in topics)
    print(f"{len(topics)} topics found in {total} articles, largest first:\n")
    for topic in topics:
        print(f"{topic.name}: {topic.articles} articles ({topic.untagged} tagged by nothing else)")
        print(f"  words: {', '.join(topic.keywords)}")
        for stem, title in topic.examples:
            print(f"  e.g. {stem}: {title}")
        print()
    print("To accept a topic, add it under topics: in site.yaml, renamed as you like. Its aliases are the "
          "words that\ntag an article (named in its title, or mentioned tags.min_mentions times):\n")
    print("topics:")
    for topic in topics:
        print(f"  {json.dumps(topic.name, ensure_ascii=False)}: "
              f"[{', '.join(json.dumps(k, ensure_ascii=False) for k in topic.keywords[1:4])}]")
    return EXIT_OK


def _build(args, config, say, warn) -> int:
    if (args.executor == "dask") != bool(args.scheduler):
        raise DigestError.at("--executor dask and --scheduler go together", config.path,
                             hint="give both, e.g. --executor dask --scheduler tcp://host:8786")
    overrides = {}
    if args.content:
        overrides["content_dir"] = args.content.resolve()
    if args.output:
        overrides["output_dir"] = args.output.resolve()
    config = dataclasses.replace(config, **overrides)
    started = time.perf_counter()
    inputs = input_fingerprint(config)  # once: the check and the build's record share it
    record = None if args.clean or args.refit else read_record(config)
    if unchanged_since(record, config, inputs):
        say(f"built {_count(record.report.articles, 'article')}, {_count(record.report.tags, 'tag')}: "
            "nothing changed since the last "
            f"build, 0 of {record.report.files} files changed in {time.perf_counter() - started:.2f}s "
            f"-> {display_path(config.output_dir)}")
        return EXIT_OK
    from .parallel import dask_cluster
    from .pipeline import build
    from .progress import StepLog

    with dask_cluster(args.scheduler) if args.executor == "dask" else contextlib.nullcontext(None) as threads:
        jobs = args.jobs or threads
        if args.verbose:
            steps = StepLog(lambda line: print(line, file=sys.stderr))
            report = build(config, warn, jobs, steps, inputs, use_cache=not args.clean, refit=args.refit)
            steps.close()
        elif args.quiet or not sys.stderr.isatty():
            report = build(config, warn, jobs, inputs=inputs, use_cache=not args.clean, refit=args.refit)
        else:
            from .console import ProgressBar  # here: rich takes 25 ms to load, for a bar only a terminal shows

            with ProgressBar() as bar:
                report = build(config, warn, jobs, bar, inputs, use_cache=not args.clean, refit=args.refit)
    say(_summary(report, time.perf_counter() - started, config))
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
