"""A TopK sparse autoencoder (Gao et al. 2024), saved in the sparsify layout.

    z = TopK_k(ReLU(W_enc (x − b_dec) + b_enc)),   x̂ = W_decᵀ z + b_dec

Decoder rows are kept at unit norm (the gradient component along each row is removed before a
step and rows are renormalized after it), the decoder starts as the encoder's transpose, b_dec
starts at the data mean, and latents that have not fired for `dead_after` tokens are pushed to
explain the residual through the AuxK term (k_aux = d_in / 2 dead latents, weight 1/32), as in
sparsify. Loss = FVU + α·AuxK with FVU = Σ||x − x̂||² / Σ||x − mean(x)||² over the batch.

Files: `DIR/<hook>/cfg.json` (sparsify's SaeConfig fields plus d_in) and `sae.safetensors`
holding `encoder.weight` (latents × d_in), `encoder.bias`, `W_dec` (latents × d_in), `b_dec`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
from torch import nn
from torch.nn import functional as F

from reasonscope.fsutil import atomic_write_bytes, atomic_write_text

AUXK_ALPHA = 1.0 / 32


@dataclass(frozen=True)
class SaeConfig:
    d_in: int
    num_latents: int
    k: int
    expansion_factor: int = 0
    normalize_decoder: bool = True
    multi_topk: bool = False
    skip_connection: bool = False


class TopKSae(nn.Module):
    def __init__(self, cfg: SaeConfig, seed: int = 0) -> None:
        super().__init__()
        if not 0 < cfg.k <= cfg.num_latents:
            raise ValueError(f"k must be in 1..{cfg.num_latents}, got {cfg.k}")
        self.cfg = cfg
        gen = torch.Generator().manual_seed(seed)
        bound = 1.0 / math.sqrt(cfg.d_in)
        weight = (torch.rand(cfg.num_latents, cfg.d_in, generator=gen) * 2 - 1) * bound
        self.encoder = nn.Linear(cfg.d_in, cfg.num_latents)
        self.encoder.weight.data.copy_(weight)
        self.encoder.bias.data.zero_()
        self.W_dec = nn.Parameter(weight.clone())
        self.b_dec = nn.Parameter(torch.zeros(cfg.d_in))
        self.normalize_decoder()

    @torch.no_grad()
    def normalize_decoder(self) -> None:
        norm = self.W_dec.norm(dim=1, keepdim=True).clamp_min(torch.finfo(self.W_dec.dtype).eps)
        self.W_dec.div_(norm)

    @torch.no_grad()
    def remove_parallel_gradient(self) -> None:
        grad = self.W_dec.grad
        if grad is None:
            return
        along = (grad * self.W_dec).sum(dim=1, keepdim=True)
        grad.sub_(along * self.W_dec)

    def pre_acts(self, x: torch.Tensor) -> torch.Tensor:
        return F.relu(self.encoder(x - self.b_dec))

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Top-k activations and their latent indices, (batch, k) each."""
        return self.pre_acts(x).topk(self.cfg.k, dim=-1, sorted=False)

    def decode(self, acts: torch.Tensor, indices: torch.Tensor, bias: bool = True
               ) -> torch.Tensor:
        out = F.embedding_bag(indices, self.W_dec, per_sample_weights=acts, mode="sum")
        return out + self.b_dec if bias else out

    def dense(self, x: torch.Tensor) -> torch.Tensor:
        """(batch, latents) activations with zeros outside the top k."""
        acts, idx = self.encode(x)
        return torch.zeros(x.shape[0], self.cfg.num_latents, dtype=acts.dtype,
                           device=x.device).scatter_(1, idx, acts)

    def losses(self, x: torch.Tensor, dead: torch.Tensor | None
               ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(fvu, auxk, fired latent indices) of one batch."""
        pre = self.pre_acts(x)
        acts, idx = pre.topk(self.cfg.k, dim=-1, sorted=False)
        recon = self.decode(acts, idx)
        err = x - recon
        total = (x - x.mean(0)).pow(2).sum().clamp_min(torch.finfo(x.dtype).tiny)
        fvu = err.pow(2).sum() / total
        aux = x.new_zeros(())
        n_dead = int(dead.sum()) if dead is not None else 0
        if dead is not None and n_dead > 0:
            k_aux = x.shape[-1] // 2
            scale = min(n_dead / k_aux, 1.0)
            k_aux = min(k_aux, n_dead)
            masked = torch.where(dead[None], pre, torch.full_like(pre, -torch.inf))
            a_acts, a_idx = masked.topk(k_aux, dim=-1, sorted=False)
            e_hat = self.decode(a_acts, a_idx, bias=False)
            aux = scale * (e_hat - err.detach()).pow(2).sum() / total
        return fvu, aux, idx[acts > 0]


@dataclass
class TrainLog:
    steps: int
    tokens: int
    lr: float
    fvu: list[float] = field(default_factory=list)
    """Batch FVU every `log_every` steps."""
    dead_frac: list[float] = field(default_factory=list)


def default_lr(num_latents: int) -> float:
    """sparsify's rule: 2e-4 at 16k latents, scaled by 1/sqrt(latents / 16k)."""
    return 2e-4 / math.sqrt(num_latents / 2 ** 14)


def train_sae(acts: torch.Tensor, cfg: SaeConfig, *, steps: int, batch_size: int = 4096,
              lr: float | None = None, seed: int = 0, device: str | torch.device = "cpu",
              dead_after: int | None = None, log_every: int = 10,
              progress: Callable[[int], None] | None = None) -> tuple[TopKSae, TrainLog]:
    """Train on rows of `acts` (tokens × d_in), sampled without replacement epoch by epoch."""
    if acts.ndim != 2 or acts.shape[1] != cfg.d_in:
        raise ValueError(f"activations must be (tokens, {cfg.d_in}), got {tuple(acts.shape)}")
    if acts.shape[0] < 2:
        raise ValueError("need at least two activation vectors to train an SAE")
    device = torch.device(device)
    sae = TopKSae(cfg, seed).to(device)
    with torch.no_grad():
        sae.b_dec.copy_(acts.float().mean(0).to(device))
    rate = lr if lr is not None else default_lr(cfg.num_latents)
    opt = torch.optim.Adam(sae.parameters(), lr=rate)
    batch = min(batch_size, acts.shape[0])
    threshold = dead_after if dead_after is not None else max(batch, steps * batch // 20)
    since_fired = torch.zeros(cfg.num_latents, dtype=torch.long, device=device)
    gen = torch.Generator().manual_seed(seed)
    order = torch.randperm(acts.shape[0], generator=gen)
    cursor = 0
    log = TrainLog(steps=steps, tokens=0, lr=rate)
    for step in range(steps):
        if cursor + batch > order.numel():
            order, cursor = torch.randperm(acts.shape[0], generator=gen), 0
        x = acts[order[cursor:cursor + batch]].float().to(device)
        cursor += batch
        dead = since_fired > threshold
        fvu, aux, fired = sae.losses(x, dead)
        loss = fvu + AUXK_ALPHA * aux
        opt.zero_grad(set_to_none=True)
        loss.backward()
        sae.remove_parallel_gradient()
        opt.step()
        sae.normalize_decoder()
        since_fired += x.shape[0]
        since_fired[fired] = 0
        log.tokens += x.shape[0]
        if step % log_every == 0 or step == steps - 1:
            log.fvu.append(float(fvu.detach()))
            log.dead_frac.append(float(dead.float().mean()))
        if progress is not None:
            progress(1)
    return sae.eval(), log


@dataclass
class SaeMetrics:
    fvu: float
    l0: float
    dead_frac: float
    n_tokens: int
    fire_counts: list[int] = field(repr=False, default_factory=list)


@torch.no_grad()
def evaluate_sae(sae: TopKSae, acts: torch.Tensor, batch_size: int = 4096) -> SaeMetrics:
    """FVU over all rows, mean active latents per row (L0), share of latents never active."""
    device = sae.b_dec.device
    mean = acts.double().mean(0)
    err_sq = total_sq = l0 = 0.0
    counts = torch.zeros(sae.cfg.num_latents, dtype=torch.long)
    for s in range(0, acts.shape[0], batch_size):
        x = acts[s:s + batch_size].float().to(device)
        a, idx = sae.encode(x)
        recon = sae.decode(a, idx)
        err_sq += float((x - recon).double().pow(2).sum())
        total_sq += float((x.double().cpu() - mean).pow(2).sum())
        active = a > 0
        l0 += float(active.sum())
        counts += torch.bincount(idx[active].cpu(), minlength=sae.cfg.num_latents)
    n = acts.shape[0]
    return SaeMetrics(fvu=err_sq / total_sq if total_sq > 0 else float("nan"),
                      l0=l0 / max(n, 1), dead_frac=float((counts == 0).float().mean()),
                      n_tokens=n, fire_counts=counts.tolist())


def save_sae(sae: TopKSae, out: Path | str, hook: str) -> Path:
    """Write `out/<hook>/cfg.json` and `sae.safetensors` (each atomically); returns the dir."""
    from safetensors.torch import save

    target = Path(out) / hook
    target.mkdir(parents=True, exist_ok=True)
    tensors = {"encoder.weight": sae.encoder.weight, "encoder.bias": sae.encoder.bias,
               "W_dec": sae.W_dec, "b_dec": sae.b_dec}
    blob = save({k: v.detach().float().cpu().contiguous() for k, v in tensors.items()})
    atomic_write_bytes(target / "sae.safetensors", blob)
    atomic_write_text(target / "cfg.json", json.dumps(asdict(sae.cfg), indent=2) + "\n")
    return target


def load_sae(path: Path | str, device: str | torch.device = "cpu") -> TopKSae:
    """Read a directory written by `save_sae` (or sparsify's own TopK SAE files)."""
    from safetensors.torch import load_file

    path = Path(path)
    cfg_file, weights = path / "cfg.json", path / "sae.safetensors"
    for f in (cfg_file, weights):
        if not f.is_file():
            raise FileNotFoundError(f"{f}: missing (an SAE directory holds cfg.json and "
                                    "sae.safetensors)")
    raw = json.loads(cfg_file.read_text(encoding="utf-8"))
    state = load_file(str(weights))
    if "W_dec" not in state:
        raise ValueError(f"{weights}: no W_dec tensor (not a TopK SAE)")
    num_latents, d_in = state["W_dec"].shape
    known = SaeConfig.__dataclass_fields__
    fields = {k: v for k, v in raw.items() if k in known}
    fields.setdefault("d_in", int(d_in))
    fields["num_latents"] = int(raw.get("num_latents") or num_latents)
    cfg = SaeConfig(**fields)
    sae = TopKSae(cfg)
    missing = {"encoder.weight", "encoder.bias", "W_dec", "b_dec"} - set(state)
    if missing:
        raise ValueError(f"{weights}: missing tensor(s) {', '.join(sorted(missing))}")
    sae.load_state_dict({k: state[k] for k in ("encoder.weight", "encoder.bias", "W_dec",
                                               "b_dec")})
    return sae.to(device).eval()
