"""PyTorch peer numbers for the GPU programs of bench/gpu_programs.py, on the same
machine as mxc-run (the H100): f32 matmul GFLOP/s with TF32 off, device-to-device
copy bandwidth and the elementwise chain exp(x * y + 1) - y, all timed with CUDA
events on device-resident tensors (what mxc-run's timestamp kernel times measure).

    python3 bench/gpu_torch_peer.py [--repeat 20] [--warmup 3]

Needs only torch (and its CUDA); no mxc.
"""

import argparse

import torch


def timed(fn, repeat, warmup):
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    times = []
    for _ in range(repeat):
        start = torch.cuda.Event(enable_timing=True)
        end = torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        end.record()
        end.synchronize()
        times.append(start.elapsed_time(end))  # ms
    times.sort()
    return times[len(times) // 2], times[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    torch.set_float32_matmul_precision("highest")
    dev = torch.device("cuda")
    print(f"device: {torch.cuda.get_device_name(dev)} (torch {torch.__version__}, "
          f"CUDA {torch.version.cuda}, tf32 matmul {torch.backends.cuda.matmul.allow_tf32})")

    for log2 in (24, 26):
        n = 1 << log2
        x = torch.rand(n, device=dev) - 0.5
        y = torch.rand(n, device=dev) - 0.5
        out = torch.empty_like(x)
        med, best = timed(lambda: out.copy_(x), args.repeat, args.warmup)
        nbytes = 2 * n * 4
        print(f"torch copy_2p{log2}: median {med:.4f} ms, {nbytes / med * 1e-6:.1f} GB/s "
              f"(best {nbytes / best * 1e-6:.1f} GB/s)")
        med, best = timed(lambda: torch.sub(torch.exp(x * y + 1.0), y, out=out),
                          args.repeat, args.warmup)
        nbytes = 3 * n * 4  # bytes of inputs + outputs, as mxc-run counts them
        print(f"torch ew_2p{log2} (eager, 4 kernels): median {med:.4f} ms, "
              f"{nbytes / med * 1e-6:.1f} GB/s effective (best {nbytes / best * 1e-6:.1f})")
        del x, y, out

    for n in (2048, 4096, 8192):
        a = torch.rand(n, n, device=dev) - 0.5
        b = torch.rand(n, n, device=dev) - 0.5
        c = torch.empty(n, n, device=dev)
        med, best = timed(lambda: torch.matmul(a, b, out=c), args.repeat, args.warmup)
        flops = 2.0 * n ** 3
        print(f"torch matmul_{n} f32: median {med:.4f} ms, {flops / med * 1e-6:.1f} GFLOP/s "
              f"(best {flops / best * 1e-6:.1f} GFLOP/s)")
        del a, b, c


if __name__ == "__main__":
    main()
