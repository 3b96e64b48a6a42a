"""“神经网络发展历史”一页：逐条核对过原始文献的时间线和时间线图。"""

from __future__ import annotations

from typing import NamedTuple

from matplotlib.figure import Figure

from dlguide._checks import check_int
from dlguide.figures import figure, new_figure

__all__ = ["ERAS", "Milestone", "TIMELINE", "milestones", "timeline_figure"]


class Milestone(NamedTuple):
    """时间线上的一条：年份取**原始文献的发表年**（会议论文取会议年）。"""

    year: int
    """原始文献的发表年。"""
    short: str
    """图上的短标签。"""
    event: str
    """发生了什么。"""
    reference: str
    """原始文献（作者、题目、出处、年份）。"""


TIMELINE: tuple[Milestone, ...] = (
    Milestone(1943, "M-P 神经元", "McCulloch 与 Pitts 提出阈值逻辑神经元模型",
              "W. S. McCulloch, W. Pitts. A logical calculus of the ideas immanent in nervous activity. "
              "Bulletin of Mathematical Biophysics 5:115–133, 1943"),
    Milestone(1949, "Hebb 学习", "Hebb 提出“一起激活的神经元连接增强”的学习假说",
              "D. O. Hebb. The Organization of Behavior. Wiley, 1949"),
    Milestone(1958, "感知机", "Rosenblatt 的感知机及其学习规则（1957 年先有康奈尔航空实验室的技术报告）",
              "F. Rosenblatt. The perceptron: a probabilistic model for information storage and organization in the brain. "
              "Psychological Review 65(6):386–408, 1958"),
    Milestone(1959, "Samuel 跳棋", "Samuel 的西洋跳棋（checkers）程序，“机器学习”一词由此流行",
              "A. L. Samuel. Some studies in machine learning using the game of checkers. "
              "IBM Journal of Research and Development 3(3):210–229, 1959"),
    Milestone(1960, "Widrow-Hoff", "ADALINE 与 LMS（delta）规则：对线性输出做梯度下降",
              "B. Widrow, M. E. Hoff. Adaptive switching circuits. IRE WESCON Convention Record 4:96–104, 1960"),
    Milestone(1969, "《感知机》", "Minsky 与 Papert 证明单层感知机表示能力的局限（异或/奇偶、连通性）",
              "M. Minsky, S. Papert. Perceptrons: An Introduction to Computational Geometry. MIT Press, 1969"),
    Milestone(1970, "反向模式自动微分", "Linnainmaa 的硕士论文给出反向模式自动微分（1976 年发表于 BIT）",
              "S. Linnainmaa. The representation of the cumulative rounding error of an algorithm "
              "as a Taylor expansion of the local rounding errors. "
              "Master's thesis, University of Helsinki, 1970"),
    Milestone(1974, "Werbos 论文", "Werbos 的博士论文给出“有序导数”（即反向传播）并讨论了它在神经网络上的用法；"
              "把它高效地用于多层感知机的论文是 1981 年的会议报告（1982 年出版）",
              "P. J. Werbos. Beyond Regression: New Tools for Prediction and Analysis in the Behavioral Sciences. "
              "PhD thesis, Harvard University, 1974"),
    Milestone(1980, "Neocognitron", "福岛邦彦的 Neocognitron：局部感受野、逐层组合的视觉网络",
              "K. Fukushima. Neocognitron: a self-organizing neural network model for a mechanism of "
              "pattern recognition unaffected by shift in position. "
              "Biological Cybernetics 36:193–202, 1980"),
    Milestone(1986, "反向传播流行", "Rumelhart、Hinton、Williams 用反向传播训练多层网络学到内部表示",
              "D. E. Rumelhart, G. E. Hinton, R. J. Williams. Learning representations by back-propagating errors. Nature 323:533–536, 1986"),
    Milestone(1989, "卷积网络", "LeCun 等用反向传播训练卷积网络识别手写邮编",
              "Y. LeCun et al. Backpropagation applied to handwritten zip code recognition. Neural Computation 1(4):541–551, 1989"),
    Milestone(1991, "梯度消失", "Hochreiter 的毕业论文分析了反向传播中的梯度消失",
              "S. Hochreiter. Untersuchungen zu dynamischen neuronalen Netzen. Diploma thesis, TU München, 1991"),
    Milestone(1997, "LSTM", "Hochreiter 与 Schmidhuber 提出长短期记忆网络",
              "S. Hochreiter, J. Schmidhuber. Long short-term memory. Neural Computation 9(8):1735–1780, 1997"),
    Milestone(1998, "LeNet-5", "LeNet-5 与基于梯度的文档识别",
              "Y. LeCun, L. Bottou, Y. Bengio, P. Haffner. Gradient-based learning applied to document recognition. "
              "Proceedings of the IEEE 86(11):2278–2324, 1998"),
    Milestone(2006, "深度信念网络", "逐层无监督预训练让深层网络重新可训",
              "G. E. Hinton, S. Osindero, Y.-W. Teh. A fast learning algorithm for deep belief nets. Neural Computation 18(7):1527–1554, 2006"),
    Milestone(2010, "ReLU", "Nair 与 Hinton 在受限玻尔兹曼机里使用 ReLU（2011 年 Glorot 等用于深层网络）",
              "V. Nair, G. E. Hinton. Rectified linear units improve restricted Boltzmann machines. ICML 2010"),
    Milestone(2012, "AlexNet", "GPU 上训练的深层卷积网络赢得 ImageNet 2012",
              "A. Krizhevsky, I. Sutskever, G. E. Hinton. ImageNet classification with deep convolutional neural networks. NIPS 2012"),
    Milestone(2014, "GAN", "生成对抗网络（同年：Dropout 期刊版、GRU、seq2seq）",
              "I. Goodfellow et al. Generative adversarial nets. NIPS 2014"),
    Milestone(2015, "BatchNorm", "批量归一化（同年：Highway 网络、PReLU、Adam 的 ICLR 版）",
              "S. Ioffe, C. Szegedy. Batch normalization: accelerating deep network training by reducing internal covariate shift. ICML 2015"),
    Milestone(2016, "ResNet", "残差网络（arXiv 2015 年 12 月；同年 AlphaGo 发表于 Nature）",
              "K. He, X. Zhang, S. Ren, J. Sun. Deep residual learning for image recognition. CVPR 2016"),
    Milestone(2017, "WGAN / Transformer", "WGAN（裁剪评论家的权重）、WGAN-GP（改用梯度惩罚）、Transformer",
              "M. Arjovsky, S. Chintala, L. Bottou. Wasserstein generative adversarial networks. ICML 2017; I. Gulrajani et al. "
              "Improved training of Wasserstein GANs. NIPS 2017; A. Vaswani et al. Attention is all you need. NIPS 2017"),
    Milestone(2019, "BERT", "预训练语言模型 + 微调（GPT 的技术报告在 2018 年）",
              "J. Devlin, M.-W. Chang, K. Lee, K. Toutanova. "
              "BERT: pre-training of deep bidirectional transformers for language understanding. NAACL 2019"),
    Milestone(2020, "扩散 / 规模定律 / GPT-3", "DDPM；损失随参数量、数据量、算力呈幂律下降；GPT-3 的少样本学习",
              "J. Ho, A. Jain, P. Abbeel. Denoising diffusion probabilistic models. NeurIPS 2020; J. Kaplan et al. "
              "Scaling laws for neural language models. arXiv:2001.08361, 2020; T. Brown et al. Language models are few-shot learners. NeurIPS 2020"),
    Milestone(2022, "Chinchilla / RLHF", "算力最优的参数量与数据量之比；用人类反馈的强化学习对齐语言模型",
              "J. Hoffmann et al. Training compute-optimal large language models. NeurIPS 2022; L. "
              "Ouyang et al. Training language models to follow instructions with human feedback. NeurIPS 2022"),
)
"""时间线，按年份排序；每条的年份都按原始文献核对过。"""

ERAS = (
    (1943, 1969, "第一次兴起：阈值单元与感知机"),
    (1969, 1986, "低谷：单层的局限"),
    (1986, 2006, "反向传播与多层网络；SVM 的时代"),
    (2006, 2017, "深度学习：预训练、GPU、ReLU、ImageNet"),
    (2017, 2023, "Transformer、预训练与规模"),
)
"""时间线图上的几个时期（起止年份、名字），是常见的粗略划分，不是严格的分界。"""


def milestones(start: int = 1940, end: int = 2030) -> list[Milestone]:
    """取 ``[start, end]`` 年之间的条目。

    Parameters
    ----------
    start, end : int
        起止年份，在 [1900, 2100] 内，``start <= end``。

    Returns
    -------
    list[Milestone]
        按年份排序的条目。

    Raises
    ------
    TypeError, ValueError
        年份不是整数、越界或 ``start > end``。

    Examples
    --------
    >>> [m.short for m in milestones(1960, 1970)]
    ['Widrow-Hoff', '《感知机》', '反向模式自动微分']
    """
    s = check_int(start, "start", low=1900, high=2100)
    e = check_int(end, "end", low=1900, high=2100)
    if s > e:
        raise ValueError(f"start 不能大于 end，收到 {s} 和 {e}")
    return [m for m in TIMELINE if s <= m.year <= e]


@figure
def timeline_figure() -> Figure:
    """神经网络发展的时间线：每条标在原始文献的发表年，底色是几个时期。"""
    fig, (ax,) = new_figure(1, width=12, height=5.2)
    colors = ["#d9ead3", "#f4cccc", "#fff2cc", "#cfe2f3", "#d9d2e9"]
    for i, ((a, b, name), color) in enumerate(zip(ERAS, colors)):
        ax.axvspan(a, b, color=color, alpha=0.8, lw=0)
        ax.text((a + b) / 2, 1.0 + 0.06 * (i % 2), name, ha="center", va="bottom", fontsize=8, transform=ax.get_xaxis_transform())
    levels = [0.08, 0.2, 0.32, 0.44, 0.56, 0.68, 0.8, 0.92]
    for i, m in enumerate(TIMELINE):
        y = levels[i % len(levels)]
        ax.plot([m.year, m.year], [0, y], color="tab:gray", lw=0.8)
        ax.plot(m.year, 0, "o", color="black", ms=3)
        ax.text(m.year, y, f"{m.year} {m.short}", fontsize=7.5, ha="center", va="bottom")
    ax.set_xlim(1938, 2026)
    ax.set_ylim(0, 1.0)
    ax.set_yticks([])
    ax.set_xlabel("原始文献的发表年")
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    return fig

