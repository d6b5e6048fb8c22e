"""The pretrained organism base shipped with the package, and where a demo gets its base.

`reasonscope organism pretrain` made the shipped files (`reasonscope/data/organism/base`);
`base.sha256` beside that folder records the weights' SHA-256, checked before every use, so a
damaged or swapped file is refused rather than studied.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from reasonscope.organism.recipe import (
    RECIPE_NAME,
    WEIGHTS_NAME,
    PretrainRecipe,
    as_recipe,
    pretrain,
    read_recipe_record,
    weights_sha256,
)

SHIPPED_FILES = ("config.json", "generation_config.json", WEIGHTS_NAME, "tokenizer.json",
                 "tokenizer_config.json", "chat_template.jinja", RECIPE_NAME)


class ShippedBaseError(RuntimeError):
    pass


def shipped_dir() -> Path:
    return Path(str(resources.files("reasonscope") / "data" / "organism" / "base"))


def shipped_hash_file() -> Path:
    return shipped_dir().parent / "base.sha256"


def verify_shipped() -> Path:
    """The shipped base directory after checking its weights against the recorded hash."""
    where = shipped_dir()
    missing = [n for n in SHIPPED_FILES if not (where / n).exists()]
    if missing:
        raise ShippedBaseError(f"{where}: shipped organism base incomplete (missing "
                               f"{', '.join(missing)}); rebuild it with `reasonscope organism "
                               "pretrain` or run `reasonscope demo --from-scratch`")
    expected = shipped_hash_file().read_text().split()[0]
    actual = weights_sha256(where)
    if actual != expected:
        raise ShippedBaseError(f"{where / WEIGHTS_NAME}: SHA-256 {actual[:12]} differs from the "
                               f"recorded {expected[:12]} ({shipped_hash_file()})")
    if read_recipe_record(where).get("weights_sha256") != expected:
        raise ShippedBaseError(f"{where / RECIPE_NAME}: records another weights hash than "
                               f"{shipped_hash_file()}")
    return where


def shipped_recipe() -> PretrainRecipe:
    recorded = read_recipe_record(shipped_dir()).get("recipe")
    recipe = as_recipe(recorded)
    if not isinstance(recipe, PretrainRecipe):
        raise ShippedBaseError(f"{shipped_dir() / RECIPE_NAME}: 'recipe' is not a valid "
                               f"pretraining recipe: {recorded!r}")
    return recipe


def install_base(dest: Path, *, from_scratch: bool, recipe: PretrainRecipe | None = None,
                 progress: bool = True) -> Path:
    """Put a base model in `dest`: a copy of the shipped one, or one pretrained here from
    `recipe` (default: the shipped base's own recipe)."""
    dest = Path(dest)
    if from_scratch:
        return pretrain(recipe or shipped_recipe(), dest, progress=progress)
    src = verify_shipped()
    tmp = dest.with_name(dest.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for name in SHIPPED_FILES:
        shutil.copyfile(src / name, tmp / name)
    if hashlib.sha256((tmp / WEIGHTS_NAME).read_bytes()).hexdigest() != weights_sha256(src):
        raise ShippedBaseError(f"copying the shipped base to {tmp} changed its weights")
    shutil.rmtree(dest, ignore_errors=True)
    tmp.rename(dest)
    return dest


def shipped_quality_file() -> Path:
    """The shipped base's measured quality (`reasonscope.organism.quality.measure`)."""
    from reasonscope.organism.quality import QUALITY_NAME

    return shipped_dir().parent / QUALITY_NAME


def ship_base(made: Path, quality: Mapping[str, Any]) -> Path:
    """Install a pretrained base as the package's shipped base and record its weights' hash
    and its measured quality (maintainers: the files then go into the repository)."""
    record = read_recipe_record(made)
    if record.get("weights_sha256") != weights_sha256(made):
        raise ShippedBaseError(f"{made}: weights differ from the hash its recipe record holds")
    where = shipped_dir()
    where.mkdir(parents=True, exist_ok=True)
    for name in SHIPPED_FILES:
        shutil.copyfile(Path(made) / name, where / name)
    from reasonscope.fsutil import atomic_write_text

    atomic_write_text(shipped_hash_file(), f"{record['weights_sha256']}  base/{WEIGHTS_NAME}\n")
    shipped_hash_file().chmod(0o644)
    atomic_write_text(shipped_quality_file(), json.dumps(dict(quality), indent=2) + "\n")
    shipped_quality_file().chmod(0o644)
    return verify_shipped()
