"""`analyze params` against a raw sequential read of the same files, on a synthetic sharded
bf16 checkpoint pair of several GB (built here in a temporary directory, removed afterwards).

Both sides run as fresh child processes after the checkpoint's pages are dropped from the page
cache (posix_fadvise DONTNEED on every shard), so each reads from the disk; the timers cover
the work only (not interpreter start-up), and each child reports its own peak RSS (VmHWM).

- raw read: every shard of base and tuned read start to end in 16 MiB blocks;
- analyze params: `compare_params(base, [tuned])` with the default options (every statistic,
  stable rank of every matrix).

Targets: throughput >= 0.7x the raw read; peak RSS < 3x the largest tensor + 500 MB. Not run by
pytest. Usage:

    .venv/bin/python benchmarks/bench_params.py                 # 2 GB per checkpoint
    .venv/bin/python benchmarks/bench_params.py --size-gb 4 --reps 3
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

HIDDEN, KV, INTER, VOCAB = 2048, 512, 5504, 65536

RAW_CHILD = """
import json, sys, time
files = json.loads(sys.argv[1])
buf = bytearray(16 << 20)
t0 = time.perf_counter(); n = 0
for f in files:
    with open(f, "rb", buffering=0) as fh:
        while (k := fh.readinto(buf)):
            n += k
dt = time.perf_counter() - t0
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]
print(json.dumps({"seconds": dt, "bytes": n, "peak_rss": int(hwm) * 1024}))
"""

OURS_CHILD = """
import json, sys, time
sys.path.insert(0, sys.argv[3])
from reasonscope.analysis.params import ParamsOptions, compare_params
opts = ParamsOptions(**json.loads(sys.argv[4]))
t0 = time.perf_counter()
report = compare_params(sys.argv[1], [sys.argv[2]], opts)
dt = time.perf_counter() - t0
o = report.models[0].overall
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]
print(json.dumps({"seconds": dt, "peak_rss": int(hwm) * 1024, "tensors": o.n_tensors,
                  "changed_frac_exact": o.changed_frac_exact,
                  "changed_frac_bf16": o.changed_frac_bf16, "changed_frac_tol": o.changed_frac_tol,
                  "rel_update": o.rel_update}))
"""


def layer_shapes(i: int) -> dict[str, tuple[int, ...]]:
    p = f"model.layers.{i}."
    return {p + "self_attn.q_proj.weight": (HIDDEN, HIDDEN),
            p + "self_attn.k_proj.weight": (KV, HIDDEN),
            p + "self_attn.v_proj.weight": (KV, HIDDEN),
            p + "self_attn.o_proj.weight": (HIDDEN, HIDDEN),
            p + "mlp.gate_proj.weight": (INTER, HIDDEN), p + "mlp.up_proj.weight": (INTER, HIDDEN),
            p + "mlp.down_proj.weight": (HIDDEN, INTER),
            p + "input_layernorm.weight": (HIDDEN,),
            p + "post_attention_layernorm.weight": (HIDDEN,)}


def model_shapes(size_gb: float) -> dict[str, tuple[int, ...]]:
    """A Qwen-like bf16 model of about `size_gb` (tied embeddings, GQA)."""
    shapes: dict[str, tuple[int, ...]] = {"model.embed_tokens.weight": (VOCAB, HIDDEN)}
    per_layer = sum(_numel(s) for s in layer_shapes(0).values()) * 2
    layers = max(1, int((size_gb * 1e9 - VOCAB * HIDDEN * 2) // per_layer))
    for i in range(layers):
        shapes.update(layer_shapes(i))
    shapes["model.norm.weight"] = (HIDDEN,)
    return shapes


def _numel(shape: tuple[int, ...]) -> int:
    n = 1
    for d in shape:
        n *= d
    return n


def write_pair(work: Path, shapes: dict[str, tuple[int, ...]], shard_bytes: int) -> list[Path]:
    """Base and tuned checkpoints, sharded with an index; tuned = base + N(0, 1e-3) on 80% of
    the entries, stored in bf16 (so some small updates round away)."""
    import torch
    from safetensors.torch import save_file

    gen = torch.Generator().manual_seed(0)
    files: list[Path] = []
    for side in ("base", "tuned"):
        (work / side).mkdir(parents=True)
    groups: list[list[str]] = [[]]
    size = 0
    for name, shape in shapes.items():
        if groups[-1] and size + _numel(shape) * 2 > shard_bytes:
            groups.append([])
            size = 0
        groups[-1].append(name)
        size += _numel(shape) * 2
    maps: dict[str, dict[str, str]] = {"base": {}, "tuned": {}}
    for gi, names in enumerate(groups):
        fname = f"model-{gi + 1:05d}-of-{len(groups):05d}.safetensors"
        base, tuned = {}, {}
        for name in names:
            w = torch.randn(shapes[name], generator=gen) * 0.02
            mask = torch.rand(shapes[name], generator=gen) < 0.8
            base[name] = w.to(torch.bfloat16)
            tuned[name] = (w + 1e-3 * torch.randn(shapes[name], generator=gen) * mask
                           ).to(torch.bfloat16)
            del w, mask
        for side, tensors in (("base", base), ("tuned", tuned)):
            path = work / side / fname
            save_file(tensors, str(path))
            with path.open("rb") as fh:
                os.fsync(fh.fileno())
            files.append(path)
            maps[side].update({n: fname for n in names})
        print(f"  shard {gi + 1}/{len(groups)} written", flush=True)
    for side in ("base", "tuned"):
        (work / side / "model.safetensors.index.json").write_text(
            json.dumps({"metadata": {}, "weight_map": maps[side]}))
    return files


def drop_cache(files: list[Path]) -> None:
    for f in files:
        fd = os.open(f, os.O_RDONLY)
        try:
            os.fsync(fd)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def run_child(code: str, *args: str, threads: int | None) -> dict[str, Any]:
    env = dict(os.environ)
    if threads:
        env.update(OMP_NUM_THREADS=str(threads), NUMBA_NUM_THREADS=str(threads))
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         env=env, check=False)
    if out.returncode != 0:
        raise SystemExit(f"child failed:\n{out.stderr[-3000:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size-gb", type=float, default=2.0, help="size of each checkpoint")
    ap.add_argument("--shard-gb", type=float, default=0.5)
    ap.add_argument("--reps", type=int, default=2)
    ap.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()))
    ap.add_argument("--threads", type=int, default=None, help="OMP/NUMBA threads in children")
    ap.add_argument("--options", action="append", default=None,
                    help="ParamsOptions fields as JSON; repeat to time several settings "
                         "(default: the defaults)")
    ap.add_argument("--warm", action="store_true", help="also time with the page cache warm")
    args = ap.parse_args()

    shapes = model_shapes(args.size_gb)
    need = 2 * sum(_numel(s) for s in shapes.values()) * 2
    free = shutil.disk_usage(args.dir).free
    if free < need * 1.2:
        raise SystemExit(f"{args.dir}: {free / 1e9:.1f} GB free, need {need * 1.2 / 1e9:.1f} GB")
    work = Path(tempfile.mkdtemp(prefix="rs-bench-params-", dir=args.dir))
    try:
        largest = max(_numel(s) for s in shapes.values()) * 2
        print(f"building 2 x {need / 2e9:.2f} GB ({len(shapes)} tensors, largest "
              f"{largest / 1e6:.0f} MB) in {work} ...", flush=True)
        t0 = time.perf_counter()
        files = write_pair(work, shapes, int(args.shard_gb * 1e9))
        print(f"built in {time.perf_counter() - t0:.0f} s; load average {loadavg()}")
        warmup = work / "warm"
        import torch
        from safetensors.torch import save_file

        for side in ("a", "b"):
            (warmup / side).mkdir(parents=True)
            save_file({"w": torch.ones(300, 300, dtype=torch.bfloat16),
                       "v": torch.ones(4)}, str(warmup / side / "model.safetensors"))
        settings = args.options or ["{}"]
        for options in settings:
            run_child(OURS_CHILD, str(warmup / "a"), str(warmup / "b"), str(REPO / "src"),
                      options, threads=args.threads)  # compiles (and caches) the kernels
        for options in settings:
            print(f"\n== options {options}")
            measure(work, files, need, largest, options, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        print(f"removed {work}")


def measure(work: Path, files: list[Path], need: int, largest: int, options: str,
            args: argparse.Namespace) -> None:
    """Alternate raw and ours, cold each time; then (with --warm) once each warm."""
    raws: list[dict[str, Any]] = []
    ours: list[dict[str, Any]] = []
    listing = json.dumps([str(f) for f in files])
    for rep in range(args.reps):
        for kind in (("raw", "ours") if rep % 2 == 0 else ("ours", "raw")):
            drop_cache(files)
            if kind == "raw":
                raws.append(run_child(RAW_CHILD, listing, threads=args.threads))
            else:
                ours.append(run_child(OURS_CHILD, str(work / "base"), str(work / "tuned"),
                                      str(REPO / "src"), options, threads=args.threads))
            print(f"  rep {rep} {kind}: {(raws if kind == 'raw' else ours)[-1]['seconds']:.2f}"
                  f" s (load {loadavg()})", flush=True)
    warm: dict[str, dict[str, Any]] = {}
    if args.warm:
        run_child(RAW_CHILD, listing, threads=args.threads)
        warm["raw"] = run_child(RAW_CHILD, listing, threads=args.threads)
        warm["ours"] = run_child(OURS_CHILD, str(work / "base"), str(work / "tuned"),
                                 str(REPO / "src"), options, threads=args.threads)
    report(need, largest, raws, ours, warm)


def report(total: int, largest: int, raws: list[dict[str, Any]], ours: list[dict[str, Any]],
           warm: dict[str, dict[str, Any]]) -> None:
    raw_s = statistics.median(r["seconds"] for r in raws)
    our_s = statistics.median(r["seconds"] for r in ours)
    peak = max(r["peak_rss"] for r in ours)
    bound = 3 * largest + 500e6
    print(f"\nbytes read per run: {total / 1e9:.2f} GB (base + tuned)")
    print(f"raw sequential read (cold): {raw_s:.2f} s = {total / raw_s / 1e9:.2f} GB/s "
          f"(runs {[round(r['seconds'], 2) for r in raws]})")
    print(f"analyze params (cold):      {our_s:.2f} s = {total / our_s / 1e9:.2f} GB/s "
          f"(runs {[round(r['seconds'], 2) for r in ours]})")
    print(f"throughput ratio: {raw_s / our_s:.2f}x the raw read (target >= 0.7x)")
    print(f"peak RSS: {peak / 1e6:.0f} MB; bound 3 x {largest / 1e6:.0f} MB + 500 MB = "
          f"{bound / 1e6:.0f} MB -> {'ok' if peak < bound else 'OVER'}")
    o = ours[-1]
    print(f"overall: changed exact {o['changed_frac_exact']:.4f}, bf16 {o['changed_frac_bf16']:.4f}"
          f", tol {o['changed_frac_tol']:.4f}, rel update {o['rel_update']:.3e}")
    if warm:
        print(f"warm page cache: raw {total / warm['raw']['seconds'] / 1e9:.2f} GB/s, analyze "
              f"{total / warm['ours']['seconds'] / 1e9:.2f} GB/s, ratio "
              f"{warm['raw']['seconds'] / warm['ours']['seconds']:.2f}x")


if __name__ == "__main__":
    main()
