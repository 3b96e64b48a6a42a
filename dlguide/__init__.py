"""dlguide：深度学习面试指南的配套代码。

站点上的每段代码都从本包的源码中按节引用，测试运行的就是读者复制的代码。
模块按概念命名：

- :mod:`dlguide.device`：选择计算设备；
- :mod:`dlguide.activations`：激活函数及其导数；
- :mod:`dlguide.losses`：损失函数及其对 logit 的梯度；
- :mod:`dlguide.data`、:mod:`dlguide.models`、:mod:`dlguide.training`、:mod:`dlguide.gradients`：
  各章实验共用的数据、模型、训练循环和梯度测量；
- :mod:`dlguide.init`：权重初始化和深层网络的信号传播；
- :mod:`dlguide.recurrent`：RNN/LSTM 中梯度随时间的传播；
- :mod:`dlguide.regularization`：L1/L2 正则、岭回归与 Lasso；
- :mod:`dlguide.bias_variance`、:mod:`dlguide.splits`、:mod:`dlguide.shapes`、:mod:`dlguide.graphs`、
  :mod:`dlguide.locality`：偏差与方差、数据划分、层的形状、计算图、局部相关性；
- :mod:`dlguide.schedules`、:mod:`dlguide.optim`、:mod:`dlguide.landscape`、:mod:`dlguide.tuning`、
  :mod:`dlguide.strategy`、:mod:`dlguide.speed`：学习率策略、优化算法、损失曲面、调参、开发策略、训练速度；
- :mod:`dlguide.figures`：站点构建时生成的图。
"""

from dlguide.device import get_device

__all__ = ["get_device"]
__version__ = "0.1.0"
