"""``import mxc.nn as nn``: neural network layers, losses and initializers with
MLX's names and semantics (``mlx.nn``).

>>> import mxc.core as mx
>>> import mxc.nn as nn
>>> model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 3))
>>> model(mx.zeros((2, 4))).shape
(2, 3)
"""

from . import init, losses
from .layers import *  # noqa: F401,F403
from .layers import Module
from .utils import value_and_grad
