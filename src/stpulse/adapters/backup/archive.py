"""One backup = one tar file: the database dump, the uploaded files under `files/`, and `manifest.json` with the
SHA-256 and size of every other member. A restore verifies the whole archive against its manifest before it
touches anything; an archive is written as `.part` and renamed, so a crash never leaves a half archive that looks
finished."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from collections.abc import Iterator
from pathlib import Path

MANIFEST = "manifest.json"
CHUNK = 1 << 20


class BackupCorrupt(Exception):
    """The archive does not match its manifest (or has none)."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def tree_files(root: Path) -> Iterator[tuple[str, Path]]:
    """(relative name, path) of every finished file under root, in a stable order."""
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.name.endswith(".part"):
                yield path.relative_to(root).as_posix(), path


def write_archive(target: Path, members: list[tuple[str, Path]], meta: dict[str, object]) -> dict[str, object]:
    """Write the members and a manifest of their checksums to `target`; return the manifest."""
    entries = {name: {"sha256": sha256_file(path), "size": path.stat().st_size} for name, path in members}
    manifest = {**meta, "members": entries}
    part = target.with_name(target.name + ".part")
    with tarfile.open(part, "w") as tar:
        for name, path in members:
            tar.add(path, arcname=name, recursive=False)
        data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    part.replace(target)
    return manifest


def extract_verified(archive: Path, into: Path) -> dict[str, object]:
    """Extract every member into `into` and check each against the manifest; raise BackupCorrupt otherwise."""
    with tarfile.open(archive, "r") as tar:
        try:
            manifest = json.loads(tar.extractfile(MANIFEST).read())  # type: ignore[union-attr]
        except (KeyError, AttributeError, ValueError) as exc:
            raise BackupCorrupt(f"{archive.name}: нет описи (manifest.json)") from exc
        tar.extractall(into, filter="data")
    entries: dict[str, dict[str, object]] = manifest["members"]
    found = {name for name, _ in tree_files(into)} - {MANIFEST}
    if found != set(entries):
        raise BackupCorrupt(f"{archive.name}: состав архива не совпадает с описью")
    for name, entry in entries.items():
        if sha256_file(into / name) != entry["sha256"]:
            raise BackupCorrupt(f"{archive.name}: контрольная сумма не сходится: {name}")
    return manifest
