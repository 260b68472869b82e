"""What ``digest --help`` and ``digest COMMAND --help`` show beyond the options: examples and exit codes."""

EPILOG = """examples:
  digest init mysite && cd mysite && digest build
  digest new "Kremlin says Putin will not meet survivors" --tags "Putin, Kremlin"
  digest ingest content/raw --out content/articles
  digest check --strict
  digest serve --port 8080
  digest build
  digest related --json --content content/articles
  digest tags --suggest

exit codes: 0 success, 1 bad input, a failed build (the previous site is kept) or, for
check, problems found, 2 wrong usage, 130 interrupted. Run `digest COMMAND --help` for a
command's options and examples."""

# Per command: examples shown by `digest COMMAND --help`.
EXAMPLES = {
    "init": """examples:
  digest init mysite                         # then: cd mysite && digest build
  digest init mysite --title "The Harbour Digest" --base-url https://harbour.example.org/
  digest init mysite --copy-theme            # themes/default/ to customise

Makes site.yaml (commented), content/raw/, content/articles/ with a welcome article and a
.gitignore. Never overwrites a file; a folder that is not empty needs --force, which adds
only the files it lacks.""",
    "new": """examples:
  digest new "Council approves harbour budget"
  digest new "Flood warning for the coast" --tags "Floods, Harbour"
  digest new "Ещё одна новость" --slug another-story --date 2024-03-30T09:00:00+03:00

Writes content_dir/<slug>.md with id, title, date (now, in the site's time zone) and tags,
and prints its path. An article of that name already there is an error.""",
    "ingest": """examples:
  digest ingest content/raw --out content/articles
  digest ingest content/raw --out content/articles --report ingest-report.json
  digest ingest content/raw --out content/articles --force   # overwrite articles edited by hand""",
    "check": """examples:
  digest check                 # errors fail (exit 1); warnings are printed
  digest check --strict        # in CI: warnings fail too
  digest check --content drafts/

Prints every problem at once as file:line: message (hint), then a count. Writes nothing.""",
    "serve": """examples:
  digest serve                 # http://127.0.0.1:8000/
  digest serve --port 8080

Builds, serves output_dir on 127.0.0.1, and rebuilds when articles, the theme, templates/,
static/ or site.yaml change; open pages reload. A failed build is shown in the terminal and
over the page, and the last good site is served meanwhile. Stop with Ctrl-C.""",
    "build": """examples:
  digest build
  digest build --clean --jobs 4
  digest build --config mysite/site.yaml --output /var/www/digest
  digest build --executor dask --scheduler tcp://10.0.0.5:8786""",
    "related": """examples:
  digest related
  digest related --json --content content/articles""",
    "tags": """examples:
  digest tags --json
  digest tags --suggest        # topics found in the text, ready to paste into site.yaml""",
}
