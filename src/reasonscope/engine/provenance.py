"""What a manifest records about where a run was made: package versions, host, run id."""

from __future__ import annotations

import platform
import sys
import uuid
from datetime import UTC, datetime
from importlib import metadata
from typing import Any

VERSIONED = ("reasonscope", "torch", "transformers", "tokenizers", "openai", "pyarrow",
             "math-verify")


def new_run_id() -> str:
    return f"{datetime.now(UTC):%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}"


def package_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in VERSIONED:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return out


def hardware_info() -> dict[str, Any]:
    """Host facts; the GPU only when torch is already loaded (an API run must not pay for it)."""
    import os

    info: dict[str, Any] = {"platform": platform.platform(), "machine": platform.machine(),
                            "cpus": os.cpu_count(), "host": platform.node()}
    torch = sys.modules.get("torch")
    if torch is not None and torch.cuda.is_available():
        info["gpus"] = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())]
    return info
