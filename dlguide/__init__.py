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
- :mod:`dlguide.figures`：站点构建时生成的图。
"""

from dlguide.device import get_device

__all__ = ["get_device"]
__version__ = "0.1.0"
