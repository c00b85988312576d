"""The guide's PyTorch example: torch reads arrays through memoryview."""

import numpy as np
import torch

import mxc.core as mx


def test_guide_pytorch_round_trip():
    a = mx.arange(3)
    b = torch.tensor(memoryview(a))
    c = mx.array(b.numpy())
    assert b.tolist() == [0, 1, 2]
    assert c.tolist() == [0, 1, 2] and c.dtype == mx.int64  # torch's default int
    f = mx.array([1.5, -2.0])
    assert torch.tensor(memoryview(f)).tolist() == [1.5, -2.0]
    assert mx.array(torch.arange(4, dtype=torch.float32).numpy()).dtype == mx.float32
    np.testing.assert_array_equal(np.array(mx.array(torch.ones(2, 3).numpy())), np.ones((2, 3)))
