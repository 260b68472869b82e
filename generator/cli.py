"""``digest`` command line: parse arguments, run a stage, turn the outcome into an exit code."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import signal
import sys
import time
from pathlib import Path

from . import __version__
from .config import default_config, load_config
from .errors import DigestError, Problem, display_path
from .fingerprint import input_fingerprint, read_record, unchanged_since

# The pipeline, the console and the ingest modules are imported by the commands that use them:
# a build that finds nothing changed answers before numpy or Jinja would have loaded.

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

EPILOG = """examples:
  digest ingest content/raw --out content/articles
  digest build
  digest build --config mysite/site.yaml
  digest related --json --content content/articles
  digest tags --json
  digest tags --suggest

exit codes: 0 success, 1 bad input or a failed build (the previous site is kept),
2 wrong usage, 130 interrupted."""


def _parser() -> argparse.ArgumentParser:
    # Common options are accepted before or after the command ("digest build --quiet").
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, default=argparse.SUPPRESS,
                        help="site configuration (default: site.yaml)")
    common.add_argument("-q", "--quiet", action="store_true", default=argparse.SUPPRESS,
                        help="print errors only")
    parser = argparse.ArgumentParser(prog="digest", description="Static news-digest site generator.",
                                     epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
                                     parents=[common])
    parser.add_argument("--version", action="version", version=f"digest {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest_cmd = commands.add_parser("ingest", help="clean scraped articles into Markdown", parents=[common],
                                     description="Clean each scraped page in RAW_DIR (.txt text dumps, "
                                                 ".html/.htm pages, optionally .gz) into OUT_DIR/<stem>.md.")
    ingest_cmd.add_argument("raw_dir", type=Path, metavar="RAW_DIR")
    ingest_cmd.add_argument("--out", type=Path, required=True, metavar="OUT_DIR", dest="out_dir")
    ingest_cmd.add_argument("--force", action="store_true", help="overwrite articles edited by hand")
    ingest_cmd.add_argument("--report", type=Path, metavar="FILE",
                            help="write what was kept and dropped per page, and why (JSON if FILE ends in .json)")

    build_cmd = commands.add_parser("build", help="build the site from Markdown articles", parents=[common],
                                    description="Build the site into output_dir (default site/).")
    build_cmd.add_argument("--content", type=Path, help="articles folder (default: content_dir from site.yaml)")
    build_cmd.add_argument("--output", type=Path, help="output folder (default: output_dir from site.yaml)")
    build_cmd.add_argument("--clean", action="store_true",
                           help="ignore the build cache: load every article, render every page and write "
                                "every file, even when nothing changed since the last build")
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
        cmd = commands.add_parser(name, help=f"print {what}", parents=[common],
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

    def say(message: str) -> None:
        if not args.quiet:
            print(message)

    def warn(message: str) -> None:
        if not args.quiet:
            print(f"warning: {message}", file=sys.stderr)

    # SIGTERM (cron timeouts, systemd) unwinds like Ctrl-C, so temporary folders are removed.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        if args.command in ("related", "tags") and not args.config.exists() and args.content:
            config = default_config(Path.cwd())  # any folder of articles, no site needed
        else:
            config = load_config(args.config)
        if args.command == "ingest":
            return _ingest(args, config, say, warn)
        if args.command in ("related", "tags"):
            return _listing(args, config)
        return _build(args, config, say, warn)
    except DigestError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as exc:
        print(f"error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        kept = "the previous site is unchanged" if args.command == "build" else "articles written so far are complete"
        print(f"interrupted; {kept}", file=sys.stderr)
        return EXIT_INTERRUPTED


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _ingest(args, config, say, warn) -> int:
    from .ingest.raw import SUFFIX_NAMES
    from .ingest.report import DUPLICATE, KEPT_EDITED, STATUSES
    from .pipeline import ingest

    report = ingest(args.raw_dir, args.out_dir, config, warn, force=args.force, report_path=args.report)
    for path in report.ignored:
        warn(str(Problem(f"not a page ({SUFFIX_NAMES}); ignored", path)))
    for outcome in report.having(KEPT_EDITED) + report.having(DUPLICATE):
        warn(f"{display_path(outcome.raw)}: {outcome.detail}")
    for problem in report.failed:
        print(f"error: {problem}", file=sys.stderr)
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
    record = None if args.clean else read_record(config)
    if unchanged_since(record, config, inputs):
        say(f"built {record.report.articles} articles, {record.report.tags} tags: nothing changed since the last "
            f"build, 0 of {record.report.files} files written in {time.perf_counter() - started:.2f}s "
            f"-> {display_path(config.output_dir)}")
        return EXIT_OK
    from .console import ProgressBar
    from .parallel import dask_cluster
    from .pipeline import build

    with dask_cluster(args.scheduler) if args.executor == "dask" else contextlib.nullcontext(None) as threads:
        jobs = args.jobs or threads
        if args.quiet or not sys.stderr.isatty():
            report = build(config, warn, jobs, inputs=inputs, use_cache=not args.clean)
        else:
            with ProgressBar() as bar:
                report = build(config, warn, jobs, bar, inputs, use_cache=not args.clean)
    say(f"built {report.articles} articles, {report.tags} tags: {report.pages} pages ({report.rendered} rendered), "
        f"{report.feeds} feeds, {report.files} files ({report.written} written, {report.bytes / 1e6:.1f} MB) "
        f"in {time.perf_counter() - started:.2f}s -> {display_path(config.output_dir)}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
