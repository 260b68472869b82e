"""Whether a build would change anything: a hash of everything its output depends on.

A build is a pure function of its inputs (digest never reads the clock), so when the inputs
hash as they did for the last successful build, and the output folder still holds exactly what
that build wrote, building again would write the same bytes: the build can stop at once.

Files count by path, size and modification time, as ``make`` and ``rsync`` judge them, which
needs one ``stat`` per file and no reading. The output's folders count by modification time,
which changes whenever an entry is added to, removed from or renamed in them, so a file added
to the output by hand is seen without listing any folder. The record of the last build lives
in the cache folder; a record that cannot be read, or does not match, is never trusted: the
build runs.
This module imports nothing heavy, so the check costs a fraction of a second.

digest's own code, the libraries' versions and Python count as this process loaded them
(``loaded_code``), taken once, as this module is imported: a long-lived process (``digest serve``,
a Dask worker) whose files change on disk meanwhile keeps running the code it loaded, and must
record that code, not the new one, or the next build with the new code would trust pages the
old code made.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import re
import sys
import unicodedata
import zoneinfo
from stat import S_ISREG
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from time import time_ns

from .config import SiteConfig
from .content_files import settled
from .folders import files_under, is_scratch_name
from .model import BuildReport, FileRecord

CACHE_DIR = ".digest-cache"  # in the project folder, beside site.yaml
RECORD = "last-build.json"
SPARE_RECORD = "previous-site-build.json"  # the record of the build that published the spare site
RECORD_VERSION = 7
# Libraries whose version can change the bytes of a page or feed.
_OUTPUT_LIBRARIES = ("jinja2", "markupsafe", "cmarkgfm", "nh3", "numpy", "scipy", "pyyaml")


@dataclass(frozen=True)
class BuildRecord:
    """What the last successful build read and wrote, and its report."""

    inputs: str  # ``input_fingerprint`` before it ran
    output: str  # ``output_fingerprint`` after it published
    report: BuildReport
    files: tuple[str, ...]  # what it published, sorted: each file's path in the output folder
    folders: tuple[str, ...]  # and each folder's, sorted ("" is the output folder itself)
    settled_ns: int  # the file system's clock as it published (``folder_entries``)
    # The output folder it published, as the file system knows it (device, inode): the same
    # through renames, and two trees that exist at once never share it, whatever their times.
    folder_id: tuple[int, int] = (0, 0)


def cache_dir(config: SiteConfig) -> Path:
    return config.root / CACHE_DIR


OUTPUT_CACHE_PREFIX = "output-"


def output_cache_dir(config: SiteConfig) -> Path:
    """The cache folder of the records of builds into ``config.output_dir``, and of its spare
    site: one per output folder, so a build with ``--output elsewhere`` leaves the records of
    the site's own output be, and the next build there is still a rebuild, not a full one."""
    key = hashlib.sha256(os.fsencode(config.output_dir)).hexdigest()[:16]
    return cache_dir(config) / f"{OUTPUT_CACHE_PREFIX}{key}"


def input_fingerprint(config: SiteConfig, environment: str | None = None) -> str:
    """A hash of the articles and their ``environment_fingerprint`` (taken here if not given),
    then one of the text model file (``with_text_model``)."""
    digest = hashlib.sha256()
    digest.update((environment or environment_fingerprint(config)).encode())
    digest.update(_tree_listing(config.content_dir))
    return with_text_model(digest.hexdigest(), config)


def with_text_model(inputs: str, config: SiteConfig) -> str:
    """``inputs`` with the text model file's part taken again: a build that writes the model
    records the inputs it leaves, so the next build with nothing changed builds nothing."""
    model = config.text_model_file
    try:
        entry = _input_entry(str(model), os.stat(model))
    except OSError:
        entry = f"{model}\0missing"
    return inputs.partition("+")[0] + "+" + _hashed([entry])


def environment_fingerprint(config: SiteConfig) -> str:
    """A hash of what turns articles into pages: the settings, the theme and template or static
    overrides, the code and libraries that render them and the Python running them (as this
    process loaded them: ``loaded_code``), the time zone's rules, and ``SOURCE_DATE_EPOCH``."""
    digest = hashlib.sha256()
    # The settings file by its full path: "site.yaml" from the site's folder and the full path
    # from a cron job are one site, whose cache and unchanged output each build may trust.
    settings = dataclasses.replace(config, path=config.root / config.path.name)
    digest.update(repr(dataclasses.astuple(settings)).encode())
    digest.update(os.environ.get("SOURCE_DATE_EPOCH", "").encode())
    digest.update(f"\0{loaded_code().fingerprint}\0".encode())
    # And the time zone's rules (dates stated without a zone, the day a page shows): an update of
    # the time zone database can move them.
    digest.update(zone_rules(config.timezone) + b"\0")
    for folder in (config.theme_dir, config.root / "templates", config.root / "static"):
        digest.update(f"\0{folder}\0".encode())
        digest.update(_tree_listing(folder))
    return digest.hexdigest()


@dataclass(frozen=True)
class Code:
    """What renders pages, besides the site's own files: digest's code, Python and the libraries."""

    parts: tuple[tuple[str, str], ...]  # (what, which): ("digest", a hash of its files), ("numpy", "2.1.0"), ...

    @property
    def fingerprint(self) -> str:
        return _hashed([f"{what}={which}" for what, which in self.parts])

    def differences(self, other: Code) -> list[str]:
        """What ``other`` runs that this does not, one phrase each ("numpy 2.0.0, here 1.26.4")."""
        mine = dict(self.parts)
        return [("other digest code" if what == "digest" else f"{what} {which}, here {mine.get(what, 'none')}")
                for what, which in other.parts if mine.get(what) != which]


def code_on_disk() -> Code:
    """digest's code and what it runs on as a process starting now would load them: its package's
    files by content (the same release installed on two machines is the same code, whatever its
    path and file times), Python and the tables it brings (unicodedata and re make slugs,
    cleaned text, words), and the installed versions of the libraries that shape pages."""
    versions = installed_versions(_OUTPUT_LIBRARIES)
    return Code((("digest", _tree_contents(Path(__file__).parent)),
                 ("Python", f"{sys.implementation.name} {sys.version}"),
                 ("unicodedata", unicodedata.unidata_version),
                 *((name, versions.get(name, "none")) for name in _OUTPUT_LIBRARIES)))


@functools.cache
def loaded_code() -> Code:
    """``code_on_disk`` as it was when this process loaded digest (this module's import, below),
    for the life of the process: the code that runs, whatever its files on disk become. Taken
    before most modules load, so a change on disk while they load shows as a difference the
    next process sees (a rebuild), never as new code recorded over old pages."""
    return code_on_disk()


def code_changed_on_disk() -> bool:
    """Whether a process started now would run other code than this one (an upgrade, a git pull)."""
    return code_on_disk() != loaded_code()


def zone_rules(name: str) -> bytes:
    """The rules of the time zone ``name`` as ``zoneinfo`` reads them: the file of the first
    folder of its search path that has one, else the ``tzdata`` package's (b"" if none has)."""
    for folder in zoneinfo.TZPATH:
        try:
            with open(os.path.join(folder, name), "rb") as rules:
                return rules.read()
        except (OSError, ValueError):  # not there (or a folder), as zoneinfo skips it
            continue
    import importlib.resources  # here: 9 ms to import, and most systems have the files above

    *folders, file = name.split("/")  # the package's folders are packages, as zoneinfo reads them
    try:
        return importlib.resources.files(".".join(["tzdata.zoneinfo", *folders])).joinpath(file).read_bytes()
    except (ImportError, OSError, ValueError):
        return b""


def installed_versions(names: Iterable[str]) -> dict[str, str]:
    """The installed version of each distribution named, where one is installed, as
    importlib.metadata finds it (which costs a tenth of a rebuild with nothing changed just to
    import): from the name of its metadata folder on the import path (``NAME-VERSION.dist-info``,
    as the wheel standard names it), the first found on the path; read from the folder's
    PKG-INFO or METADATA only when its name holds no version (a legacy editable install)."""
    wanted = {_normalized(name): name for name in names}
    versions: dict[str, str] = {}
    for folder in sys.path:
        try:
            entries = os.listdir(folder or ".")
        except (OSError, ValueError):  # a zip file, an import hook, a folder gone
            continue
        for entry in entries:
            stem, _, kind = entry.rpartition(".")
            if kind not in ("dist-info", "egg-info"):
                continue
            name, _, version = stem.partition("-")
            asked = wanted.get(_normalized(name))
            if asked is None or asked in versions:
                continue
            version = version.partition("-")[0] or _version_inside(os.path.join(folder or ".", entry))
            if version:
                versions[asked] = version
    return versions


def _normalized(name: str) -> str:
    """A distribution's name as the standard compares names (PEP 503): case and runs of
    ``-``, ``_``, ``.`` do not count."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _version_inside(metadata_folder: str) -> str:
    for file in ("METADATA", "PKG-INFO"):
        try:
            with open(os.path.join(metadata_folder, file), encoding="utf-8", errors="replace") as text:
                for line in text:
                    if line.startswith("Version:"):
                        return line.partition(":")[2].strip()
                    if not line.strip():
                        break  # the headers end at the first blank line
        except OSError:
            continue
    return ""


def output_fingerprint(output_dir: Path, files: Iterable[str], folders: Iterable[str], settled_ns: int,
                       records: Mapping[str, FileRecord] | None = None) -> str:
    """A hash of the given files of the output folder by path, size and modification time, and
    of its given folders by ``folder_entries``. One ``stat`` each: listing every folder (16,000
    at 10,000 articles) cost most of a rebuild with nothing changed. With ``records``, a file
    that is no plain file of the size and time its record gives counts as unlike."""
    return _output_fingerprint(output_dir, files, folder_times(output_dir, folders), settled_ns, records)


def _output_fingerprint(output_dir: Path, files: Iterable[str], folders: Mapping[str, int], settled_ns: int,
                        records: Mapping[str, FileRecord] | None) -> str:
    """``output_fingerprint`` of folders whose times (``folder_times``) are taken."""
    prefix = f"{output_dir}/"  # joined by hand: os.path.join costs a third of a stat
    entries = []
    for name in files:
        try:
            found = os.lstat(prefix + name)  # a link in place of a file is no file the build wrote
        except (OSError, ValueError):  # gone, a folder on its path is a file now, a NUL in a name
            entries.append(f"{name}\0missing")
            continue
        if records is not None and not as_recorded(found, records.get(name)):
            entries.append(f"{name}\0unlike its record")
            continue
        entries.append(_file_entry(name, found.st_size, found.st_mtime_ns))
    return _hashed([*entries, *folder_entries(output_dir, folders, settled_ns)])


def as_recorded(found: os.stat_result, record: FileRecord | None) -> bool:
    """Whether the file ``found`` (its ``lstat``) is still the one ``record`` describes: a plain
    file of the size and modification time it was written with, so its key and digest hold."""
    return (record is not None and S_ISREG(found.st_mode)
            and (found.st_size, found.st_mtime_ns) == (record.size, record.mtime_ns))


def folder_times(root: Path, folders: Iterable[str]) -> dict[str, int]:
    """The modification time of each folder under ``root``, in nanoseconds (-1: gone), in order."""
    prefix = f"{root}/"
    return {name: _modified(prefix + name) for name in folders}


def folder_entries(root: Path, folders: Mapping[str, int], settled_ns: int) -> list[str]:
    """Each folder under ``root`` by path and modification time (``folders``: ``folder_times``),
    which changes whenever an entry is added to, removed from or renamed in it. Times are ticks
    of the file system's clock, so a folder changed at ``settled_ns`` (the tick a build
    published in) or later could take an entry within that tick and keep its time: such a
    folder is listed, and counts by the names in it too (as git treats a "racily clean" file)."""
    prefix = f"{root}/"
    entries = []
    for name, mtime_ns in folders.items():
        if mtime_ns < settled_ns:
            entries.append(_folder_entry(name, mtime_ns))
            continue
        try:
            inside = "\0".join(sorted(os.listdir(prefix + name)))
        except (OSError, ValueError):
            inside = "\0missing"
        entries.append(f"{_folder_entry(name, mtime_ns)}\0{inside}")
    return entries


def written_record(inputs: str, report: BuildReport, records: Mapping[str, FileRecord], folders: Sequence[str],
                   published_folders: Sequence[str], settled_ns: int, folder_id: tuple[int, int]) -> BuildRecord:
    """The record of a build that published the files ``records`` describes and the sorted
    ``folders`` holding them, whose ``folder_entries`` (``published_folders``) were taken as it
    published, at the tick ``settled_ns``, in the output folder ``folder_id`` names. The files
    count as recorded, without a ``stat`` of each (150,000 at 100,000 articles)."""
    files = tuple(sorted(records))
    output = _hashed([*(_file_entry(name, records[name].size, records[name].mtime_ns) for name in files),
                      *published_folders])
    return BuildRecord(inputs, output, report, files, tuple(folders), settled_ns, folder_id)


def folder_id(folder: Path) -> tuple[int, int]:
    """A folder as the file system knows it: (device, inode); (0, 0) when it is not there."""
    try:
        return stat_id(os.stat(folder))
    except (OSError, ValueError):
        return (0, 0)


def stat_id(found: os.stat_result) -> tuple[int, int]:
    """``folder_id`` from a ``stat`` taken already."""
    return (found.st_dev, found.st_ino)


def _modified(path: str) -> int:
    """A modification time in nanoseconds (-1: gone)."""
    try:
        return os.stat(path).st_mtime_ns
    except (OSError, ValueError):
        return -1


def _input_entry(name: str, found: os.stat_result) -> str:
    """A file the build reads, by name and identity (``FileIdentity``: the one the build cache
    trusts an article file by, its fields in its order). Formatted in one go: through a
    ``FileIdentity``, 10,000 of them took 31 ms instead of 14, on the path of every build."""
    return f"{name}\0{found.st_size}\0{found.st_ino}\0{found.st_mtime_ns}\0{found.st_ctime_ns}"


def _file_entry(name: str, size: int, mtime_ns: int) -> str:
    return f"{name}\0{size}\0{mtime_ns}"


def _folder_entry(name: str, mtime_ns: int) -> str:
    return f"{name}/\0{mtime_ns}"


def _hashed(entries: list[str]) -> str:
    return hashlib.sha256("\n".join(entries).encode("utf-8", "surrogateescape")).hexdigest()


def _listing(entries: Iterable[str]) -> bytes:
    return "\n".join(sorted(entries)).encode("utf-8", "surrogateescape")


def _tree_files(folder: Path) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """Each file under ``folder`` a build may read, with its path relative to it: no
    ``__pycache__``, and no scratch file (an editor's swap file changes nothing)."""
    start = len(str(folder)) + 1
    for entry in files_under(str(folder), skip=frozenset({"__pycache__"})):
        if not is_scratch_name(entry.name):
            yield entry.path[start:], entry


def _tree_listing(folder: Path) -> bytes:
    """Each file under ``folder`` (through links, as the build reads them): relative path and
    identity (``_input_entry``), sorted; nothing for a missing folder."""
    entries = []
    for relative, entry in _tree_files(folder):
        try:  # through a link to its target: the target is what a build reads
            stat = entry.stat()
        except OSError:  # a broken link or a file gone meanwhile
            entries.append(f"{relative}\0missing")
            continue
        entries.append(_input_entry(relative, stat))
    return _listing(entries)


def _tree_contents(folder: Path) -> str:
    """A hash of each file under ``folder`` by relative path and bytes, as ``_tree_listing`` picks them."""
    digest = hashlib.sha256()
    for relative, entry in sorted(_tree_files(folder), key=lambda pair: pair[0]):
        digest.update(f"{relative}\0".encode("utf-8", "surrogateescape"))
        try:
            with open(entry.path, "rb") as file:
                content = file.read()
        except OSError:  # a broken link or a file gone meanwhile
            content = b"\0missing"
        digest.update(f"{len(content)}\0".encode() + content)
    return digest.hexdigest()


def read_record(config: SiteConfig, name: str = RECORD) -> BuildRecord | None:
    """The last build's record (or, by ``SPARE_RECORD``, the record of the build that published
    the spare site), or None when there is none or it cannot be trusted."""
    try:
        data = json.loads((output_cache_dir(config) / name).read_text(encoding="utf-8"))
        if data["version"] != RECORD_VERSION or not all(isinstance(data[k], str) for k in ("inputs", "output")):
            return None
        report = BuildReport(**data["report"])
        if not all(isinstance(data[k], list) for k in ("files", "folders")):
            return None
        files, folders = tuple(data["files"]), tuple(data["folders"])
    except (OSError, ValueError, TypeError, KeyError):
        return None
    if not all(type(value) is int for value in dataclasses.astuple(report)):
        return None
    if not _relative_names(files) or not _relative_names([name for name in folders if name]):  # "": the root
        return None
    if type(data["settled_ns"]) is not int:
        return None
    found_id = data["folder_id"]
    if not (isinstance(found_id, list) and len(found_id) == 2 and all(type(n) is int for n in found_id)):
        return None
    return BuildRecord(data["inputs"], data["output"], report, files, folders, data["settled_ns"], tuple(found_id))


def _relative_names(names: Sequence[object]) -> bool:
    """Whether every recorded name is a path a build writes: relative, in plain parts ("a/b.html"),
    so no record can name anything outside the folder it describes. Checked on the names joined,
    by substring searches: name by name, it took most of the time reading a record took (28 of
    34 ms at 10,000 articles, on the path of a rebuild with nothing changed)."""
    if not names:
        return True
    try:
        joined = "\0".join(names)  # type: ignore[arg-type]
    except TypeError:  # a name that is no string
        return False
    if joined.count("\0") != len(names) - 1:  # a NUL inside a name
        return False
    parts = "\0" + joined.replace("/", "\0") + "\0"  # every part between NULs
    return not any(bad in parts for bad in ("\0\0", "\0.\0", "\0..\0"))  # an empty part, "." or ".."


def record_text(record: BuildRecord) -> str:
    # Field by field: dataclasses.asdict copies each of the 33,000 names of a 10,000-article site.
    fields = {field.name: getattr(record, field.name) for field in dataclasses.fields(record)}
    fields["report"] = dataclasses.asdict(record.report)
    return json.dumps({"version": RECORD_VERSION, **fields}, indent=1) + "\n"


def unchanged_since(record: BuildRecord | None, config: SiteConfig, inputs: str) -> bool:
    """Whether a build now, of inputs fingerprinted ``inputs``, would write exactly what the
    recorded build left in place."""
    return record is not None and record.inputs == inputs and holds_as_recorded(config.output_dir, record)


def holds_as_recorded(folder: Path, record: BuildRecord, records: Mapping[str, FileRecord] | None = None) -> bool:
    """Whether ``folder`` is the folder ``record``'s build published and holds exactly the files
    and folders it published, each file as it wrote it: nothing added, removed or changed since.
    Being that folder counts: a copy, or another tree with the same names and times (on a file
    system whose clock ticks once a second, two builds' trees can have them), is not it. With
    ``records`` (of each file that build wrote), they must be of just those files, each one
    still as its record gives: then every record holds for its file, as checked here."""
    return held_folder_times(folder, record, records) is not None


def held_folder_times(folder: Path, record: BuildRecord, records: Mapping[str, FileRecord] | None = None
                      ) -> dict[str, int] | None:
    """When ``folder`` holds as recorded (``holds_as_recorded``), the modification time of each
    of its folders that had settled as checked (changed ``SETTLED_NS`` before: a folder changed
    within its time's tick again keeps it), which a build updating it in place keeps for the
    folders it leaves alone; else None."""
    if folder_id(folder) != record.folder_id or (records is not None and len(records) != len(record.files)):
        return None
    checked_ns = time_ns()
    times = folder_times(folder, record.folders)
    if record.output != _output_fingerprint(folder, record.files, times, record.settled_ns, records):
        return None
    return {name: mtime_ns for name, mtime_ns in times.items() if settled(mtime_ns, checked_ns)}


loaded_code()  # now, as digest loads: see the module's docstring
