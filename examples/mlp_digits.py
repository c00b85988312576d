"""Train an MLP on scikit-learn's bundled 8x8 digits with mxc (MLX's API).

    python examples/mlp_digits.py [--epochs 12] [--batch-size 64] [--lr 3e-3]

Prints the loss and test accuracy each epoch, then saves the weights to a
temporary .safetensors file, reloads them into a fresh model and checks that
it predicts exactly the same thing. No download: the data ships with
scikit-learn.
"""

import argparse
import os
import sys
import tempfile
import time

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

import mxc.core as mx
import mxc.nn as nn
import mxc.optimizers as optim


class MLP(nn.Module):
    def __init__(self, in_dims: int, hidden: int, out_dims: int, depth: int = 2):
        super().__init__()
        dims = [in_dims] + [hidden] * depth
        self.layers = [nn.Linear(a, b) for a, b in zip(dims[:-1], dims[1:])]
        self.head = nn.Linear(dims[-1], out_dims)

    def __call__(self, x):
        for layer in self.layers:
            x = nn.relu(layer(x))
        return self.head(x)


def loss_fn(model, x, y):
    return nn.losses.cross_entropy(model(x), y, reduction="mean")


def accuracy(model, x, y):
    return mx.mean(mx.argmax(model(x), axis=1) == y).item()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    digits = load_digits()
    x = (digits.data / 16.0).astype(np.float32)  # pixels are 0..16
    y = digits.target.astype(np.int32)
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=0.25, random_state=args.seed, stratify=y)
    print(f"digits: {len(x_train)} train / {len(x_test)} test samples, "
          f"{x.shape[1]} features, 10 classes")
    x_test, y_test = mx.array(x_test), mx.array(y_test)

    mx.random.seed(args.seed)
    model = MLP(x.shape[1], args.hidden, 10)
    mx.eval(model.parameters())
    steps_per_epoch = len(x_train) // args.batch_size
    schedule = optim.cosine_decay(args.lr, args.epochs * steps_per_epoch, end=args.lr / 20)
    optimizer = optim.Adam(learning_rate=schedule)
    loss_and_grad = nn.value_and_grad(model, loss_fn)

    rng = np.random.default_rng(args.seed)
    start = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        model.train()
        order = rng.permutation(len(x_train))
        total = 0.0
        # Full batches only: every step has the same shapes, so one compiled program.
        for i in range(steps_per_epoch):
            idx = order[i * args.batch_size:(i + 1) * args.batch_size]
            xb, yb = mx.array(x_train[idx]), mx.array(y_train[idx])
            loss, grads = loss_and_grad(model, xb, yb)
            optimizer.update(model, grads)
            mx.eval(model.parameters(), optimizer.state, loss)
            total += loss.item()
        model.eval()
        acc = accuracy(model, x_test, y_test)
        print(f"epoch {epoch:2d}  loss {total / steps_per_epoch:.4f}  "
              f"test accuracy {acc:.4f}  ({time.perf_counter() - start:.1f} s)", flush=True)

    # Save, reload into a fresh model, and compare the predictions.
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "mlp_digits.safetensors")
        model.save_weights(path)
        fresh = MLP(x.shape[1], args.hidden, 10)
        fresh.load_weights(path)
    fresh.eval()
    logits, reloaded = model(x_test), fresh(x_test)
    same = mx.array_equal(logits, reloaded).item() and mx.array_equal(
        mx.argmax(logits, axis=1), mx.argmax(reloaded, axis=1)).item()
    acc = accuracy(model, x_test, y_test)
    print(f"final test accuracy {acc:.4f}; weights saved and reloaded into a fresh model: "
          f"predictions {'match' if same else 'DO NOT match'}")
    return 0 if acc >= 0.95 and same else 1


if __name__ == "__main__":
    sys.exit(main())
