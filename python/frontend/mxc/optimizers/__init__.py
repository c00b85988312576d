"""``import mxc.optimizers as optim``: optimizers and learning-rate schedules with
MLX's names, state and update formulas (``mlx.optimizers``).

>>> import mxc.core as mx
>>> import mxc.optimizers as optim
>>> opt = optim.SGD(learning_rate=0.1)
>>> opt.apply_gradients({"w": mx.array([1.0])}, {"w": mx.array([2.0])})
{'w': array([1.9], dtype=float32)}
"""

from .optimizers import *  # noqa: F401,F403
from .schedulers import *  # noqa: F401,F403
