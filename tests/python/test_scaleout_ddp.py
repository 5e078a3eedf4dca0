"""Scale-out with torch.distributed: two ranks on gloo over loopback, each computing the
topological loss of its shard, end with the gradient of the single-process full batch (float64,
to 1e-10) once DistributedDataParallel has all-reduced it. Also runs examples/ddp_topology.py as a
plain script (it spawns its own two ranks)."""

from __future__ import annotations

import datetime
import os
import pathlib
import socket
import subprocess
import sys

import pytest
import torch

import calydon.diff as diff

WORLD = 2
N_POINTS, SIDE, LATENT, BATCH = 12, 6, 5, 6
EXAMPLE = pathlib.Path(__file__).resolve().parents[2] / "examples" / "ddp_topology.py"


def make_model() -> torch.nn.Module:
    torch.manual_seed(0)
    return torch.nn.Sequential(
        torch.nn.Linear(LATENT, 24),
        torch.nn.Tanh(),
        torch.nn.Linear(24, 2 * N_POINTS + SIDE * SIDE),
    ).double()


def all_codes() -> torch.Tensor:
    return torch.randn(
        BATCH, LATENT, dtype=torch.float64, generator=torch.Generator().manual_seed(1)
    )


def shard_loss(model, codes: torch.Tensor) -> torch.Tensor:
    """Mean over the items of a Rips H1 term (point clouds) and a grid H0/H1 term (images)."""
    out = model(codes)
    clouds = out[:, : 2 * N_POINTS].reshape(-1, N_POINTS, 2)
    images = out[:, 2 * N_POINTS :].reshape(-1, SIDE, SIDE)
    rips = diff.persistence_diagrams([diff.vr_filtration(c) for c in clouds])
    grids = diff.persistence_diagrams(diff.freudenthal_filtration(images, batch_dims=1))
    padded, _ = diff.pad_diagrams(
        [d[1] for d in rips] + [d[0] for d in grids] + [d[1] for d in grids]
    )
    pers = (padded[..., 1] - padded[..., 0]).pow(2).sum(dim=1)  # padding rows add 0
    per_item = pers.reshape(3, -1).sum(dim=0) + 0.1 * clouds.pow(2).sum(dim=(1, 2))
    return per_item.mean()


def _worker(rank: int, port: int, out_dir: str) -> None:
    os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
    torch.set_num_threads(1)
    torch.distributed.init_process_group(
        "gloo", rank=rank, world_size=WORLD, timeout=datetime.timedelta(seconds=60)
    )
    try:
        model = torch.nn.parallel.DistributedDataParallel(make_model())
        shard = all_codes()[rank::WORLD]
        shard_loss(model, shard).backward()  # DDP averages the gradients over the ranks
        grads = {name: p.grad.clone() for name, p in model.module.named_parameters()}
        torch.save(grads, os.path.join(out_dir, f"rank{rank}.pt"))
    finally:
        torch.distributed.destroy_process_group()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(
    not torch.distributed.is_available() or not torch.distributed.is_gloo_available(),
    reason="torch.distributed with gloo is not available",
)
def test_ddp_gradient_equals_full_batch_gradient(tmp_path):
    torch.multiprocessing.spawn(_worker, args=(free_port(), str(tmp_path)), nprocs=WORLD, join=True)
    model = make_model()
    shard_loss(model, all_codes()).backward()
    want = {name: p.grad for name, p in model.named_parameters()}
    assert sum(g.abs().sum().item() for g in want.values()) > 0
    for rank in range(WORLD):
        got = torch.load(tmp_path / f"rank{rank}.pt")
        assert set(got) == set(want)
        for name in want:
            assert got[name].dtype == torch.float64
            torch.testing.assert_close(
                got[name], want[name], rtol=0, atol=1e-10, msg=f"rank {rank} {name}"
            )


def test_ddp_example_runs_as_a_plain_script(tmp_path):
    done = subprocess.run(
        [sys.executable, str(EXAMPLE), "--steps", "3"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        env={k: v for k, v in os.environ.items() if k != "RANK"},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "step   0" in done.stdout and "2 ranks" in done.stdout
    assert (tmp_path / "out" / "ddp_topology.png").is_file()
