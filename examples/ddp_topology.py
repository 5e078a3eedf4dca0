"""Train a point-cloud generator with a topological loss under DistributedDataParallel (gloo).

A small MLP maps latent codes to clouds of 2-D points; the loss asks each cloud to carry one
long-lived loop (its most persistent H1 class, from the Vietoris-Rips diagram) and no other
loops, and keeps the cloud bounded. Each rank computes the loss of its shard of the batch
(calydon.diff.persistence_diagrams, then pad_diagrams to handle diagrams of different sizes);
DDP all-reduces the gradients. calydon needs nothing special: every rank is an ordinary process
with its own CPU thread pool, and torch.distributed does the rest.

    torchrun --nproc_per_node=2 examples/ddp_topology.py                 # one machine, 2 ranks
    torchrun --nnodes=2 --nproc_per_node=4 --rdzv_backend=c10d \\
        --rdzv_endpoint=HOST:29500 examples/ddp_topology.py              # the same on 2 machines
    .venv/bin/python examples/ddp_topology.py                            # spawns 2 ranks itself

Prints a line per 10 steps (rank 0) and saves out/ddp_topology.png (clouds before and after).
"""

from __future__ import annotations

import argparse
import os
import socket

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch.nn.parallel import DistributedDataParallel

import calydon.diff as diff

N_POINTS, LATENT = 32, 8


def make_model() -> torch.nn.Module:
    return torch.nn.Sequential(
        torch.nn.Linear(LATENT, 64), torch.nn.Tanh(), torch.nn.Linear(64, 2 * N_POINTS)
    )


def clouds_of(model, codes: torch.Tensor) -> torch.Tensor:
    """(b, LATENT) codes -> (b, N_POINTS, 2) point clouds."""
    return model(codes).reshape(len(codes), N_POINTS, 2)


def topological_loss(clouds: torch.Tensor, n_threads: int) -> torch.Tensor:
    """Mean over the clouds of -(main H1 persistence) + sum(other H1 persistences^2) + spread."""
    fils = [diff.vr_filtration(cloud) for cloud in clouds]
    h1 = [dgms[1] for dgms in diff.persistence_diagrams(fils, n_threads=n_threads)]
    padded, _ = diff.pad_diagrams(h1)  # (b, N, 2); padding rows (0, 0) have persistence 0
    pers = torch.cat([padded[..., 1] - padded[..., 0], padded.new_zeros(len(h1), 1)], dim=1)
    main = pers.max(dim=1).values
    others = pers.pow(2).sum(dim=1) - main.pow(2)
    spread = clouds.pow(2).sum(dim=2).mean(dim=1)
    return (-main + others + 0.1 * spread).mean()


def threads_per_rank() -> int:
    """CPU cores of this machine shared by the ranks on it (torchrun's LOCAL_WORLD_SIZE)."""
    local_ranks = int(os.environ.get("LOCAL_WORLD_SIZE", "1"))
    return max(1, (os.cpu_count() or 1) // local_ranks)


def train(args) -> None:
    """One rank: its shard of every batch, DDP for the gradients, rank 0 reports and plots."""
    dist.init_process_group("gloo")  # env://: MASTER_ADDR, MASTER_PORT, RANK, WORLD_SIZE
    rank, world = dist.get_rank(), dist.get_world_size()
    n_threads = threads_per_rank()
    torch.set_num_threads(n_threads)  # one CPU pool per rank, sized to its share of the cores
    torch.manual_seed(0)
    model = DistributedDataParallel(make_model().double())  # rank 0's weights are broadcast
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    codes = torch.randn(
        args.batch, LATENT, dtype=torch.float64, generator=torch.Generator().manual_seed(1)
    )
    shard = codes[rank::world]  # this rank's items; equal shards so DDP's average is the batch mean
    before = clouds_of(model.module, codes[:4]).detach() if rank == 0 else None
    for step in range(args.steps):
        loss = topological_loss(clouds_of(model, shard), n_threads)
        optimizer.zero_grad()
        loss.backward()  # DDP all-reduces (averages) the gradients across ranks here
        optimizer.step()
        mean_loss = loss.detach().clone()
        dist.all_reduce(mean_loss)
        if rank == 0 and (step % 10 == 0 or step == args.steps - 1):
            print(
                f"step {step:3d}  loss {mean_loss.item() / world:8.4f}  ({world} ranks, "
                f"{len(shard)} clouds each, {n_threads} threads per rank)",
                flush=True,
            )
    if rank == 0:
        after = clouds_of(model.module, codes[:4]).detach()
        save_figure(before, after, args.out)
        print(f"figure saved to {args.out}", flush=True)
    dist.destroy_process_group()


def spawned(local_rank: int, world: int, port: int, args) -> None:
    os.environ.update(
        MASTER_ADDR="127.0.0.1",
        MASTER_PORT=str(port),
        RANK=str(local_rank),
        WORLD_SIZE=str(world),
        LOCAL_RANK=str(local_rank),
        LOCAL_WORLD_SIZE=str(world),
    )
    train(args)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def save_figure(before: torch.Tensor, after: torch.Tensor, path: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, len(before), figsize=(3 * len(before), 6))
    for row, (clouds, title) in enumerate([(before, "before"), (after, "after")]):
        for col, cloud in enumerate(clouds):
            h1 = diff.persistence_diagram(diff.vr_filtration(cloud))[1]
            main = (h1[:, 1] - h1[:, 0]).max().item() if len(h1) else 0.0
            axes[row, col].scatter(cloud[:, 0], cloud[:, 1], s=8)
            axes[row, col].set_title(f"{title}: main H1 {main:.2f}, {len(h1)} loops", fontsize=9)
            axes[row, col].set_aspect("equal")
    fig.tight_layout()
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    fig.savefig(path, dpi=90)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=41)
    parser.add_argument("--batch", type=int, default=8, help="clouds per step, split across ranks")
    parser.add_argument("--nproc", type=int, default=2, help="ranks to spawn without torchrun")
    parser.add_argument("--out", default="out/ddp_topology.png")
    args = parser.parse_args()
    if "RANK" in os.environ and "WORLD_SIZE" in os.environ:  # launched by torchrun (or similar)
        train(args)
    else:  # a plain script: spawn the ranks on loopback
        mp.spawn(spawned, args=(args.nproc, free_port(), args), nprocs=args.nproc, join=True)


if __name__ == "__main__":
    main()
