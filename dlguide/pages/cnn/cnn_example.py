"""“卷积神经网络示例”一页：课程示例网络的逐层表格（由代码算出），与网上流传的那张表对照，以及参数、激活值的分布图。"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure

from dlguide.complexity import LayerSummary, summarize
from dlguide.figures import figure, new_figure
from dlguide.models import course_example_cnn

__all__ = ["CIRCULATING_TABLE", "COURSE_NAMES", "compare_with_circulating", "course_rows", "parameters_and_activations"]

CIRCULATING_TABLE: tuple[tuple[str, tuple[int, ...], int, int], ...] = (
    ("Input", (32, 32, 3), 3072, 0),
    ("CONV1", (28, 28, 8), 6272, 208),
    ("POOL1", (14, 14, 8), 1568, 0),
    ("CONV2", (10, 10, 16), 1600, 416),
    ("POOL2", (5, 5, 16), 400, 0),
    ("FC3", (120, 1), 120, 48001),
    ("FC4", (84, 1), 84, 10081),
    ("Softmax", (10, 1), 10, 841),
)
"""网上流传的那张表（吴恩达课程幻灯片里的版本，笔记引用的图已丢失）：``(层, 激活形状 (H, W, C), 激活值个数, 参数个数)``。

这是被核对的**说法**，不是答案；正确的数字由 [`course_rows`][dlguide.pages.cnn.cnn_example.course_rows] 从模块算出。
"""

COURSE_NAMES = {"Input": "input", "CONV1": "conv1", "POOL1": "pool1", "CONV2": "conv2", "POOL2": "pool2",
                "FC3": "fc3", "FC4": "fc4", "Softmax": "output"}
"""课程表格的层名 → [`course_example_cnn`][dlguide.models.course_example_cnn] 里的模块名。"""


def course_rows(conv1_filters: int = 8) -> list[LayerSummary]:
    """课程示例网络的逐层摘要，只保留课程表格里有的层（输入、卷积、池化、全连接），去掉 ReLU 和展平。

    Parameters
    ----------
    conv1_filters : int
        ``CONV1`` 的核个数：课程的表格用 8，讲解时用 6。

    Returns
    -------
    list[LayerSummary]
        8 行，顺序与课程表格相同。

    Raises
    ------
    TypeError, ValueError
        ``conv1_filters`` 不是 [1, 1024] 内的整数。

    Examples
    --------
    >>> [(r.name, r.parameters) for r in course_rows()][1:3]
    [('conv1', 608), ('pool1', 0)]
    """
    net = course_example_cnn(conv1_filters, seed=0)
    return [r for r in summarize(net, (3, 32, 32)) if r.kind not in ("ReLU", "Flatten")]


def compare_with_circulating(rows: Sequence[LayerSummary]) -> list[tuple[str, str, object, object]]:
    """逐格比较流传的表格与算出的表格，返回不一致的格子 ``(层, 列, 流传的值, 算出的值)``。

    形状按课程的 ``(H, W, C)`` 顺序比较；全连接层的 ``(n, 1)`` 视为 ``(n,)``。

    Parameters
    ----------
    rows : sequence of LayerSummary
        [`course_rows`][dlguide.pages.cnn.cnn_example.course_rows] 的结果。

    Returns
    -------
    list[tuple[str, str, object, object]]
        不一致的格子；列名为 ``"shape"``、``"activation_size"``、``"parameters"``。

    Raises
    ------
    TypeError
        ``rows`` 不是 ``LayerSummary`` 的序列。
    ValueError
        ``rows`` 缺少课程表格里的层。

    Examples
    --------
    >>> compare_with_circulating(course_rows())[0]
    ('CONV1', 'parameters', 208, 608)
    """
    if isinstance(rows, (str, bytes)) or not isinstance(rows, Sequence) or not all(isinstance(r, LayerSummary) for r in rows):
        raise TypeError("rows 必须是 LayerSummary 的序列（course_rows() 的返回值）")
    by_name = {r.name: r for r in rows}
    missing = [name for name in COURSE_NAMES.values() if name not in by_name]
    if missing:
        raise ValueError(f"rows 缺少课程表格里的层 {missing}")
    diffs = []
    for layer, shape, size, params in CIRCULATING_TABLE:
        row = by_name[COURSE_NAMES[layer]]
        # PyTorch 的 (C, H, W) → 课程的 (H, W, C)；全连接层的 (n, 1) → (n,)
        ours = (*row.output_shape[1:], row.output_shape[0]) if len(row.output_shape) == 3 else row.output_shape
        theirs = shape[:1] if len(shape) == 2 and shape[1] == 1 else shape
        for column, claimed, computed in (("shape", theirs, ours), ("activation_size", size, row.activation_size),
                                          ("parameters", params, row.parameters)):
            if claimed != computed:
                diffs.append((layer, column, claimed, computed))
    return diffs


@figure
def parameters_and_activations() -> Figure:
    """课程示例网络每层的激活值个数、参数个数和乘加次数（对数坐标）：激活值和计算量集中在卷积层，参数集中在第一个全连接层。"""
    rows = course_rows()
    names = [r.name for r in rows]
    fig, axes = new_figure(3, width=7.6, height=3.4)
    panels = (
        ("每个样本的激活值个数", [r.activation_size for r in rows], "tab:blue"),
        ("参数个数（池化层为 0）", [r.parameters for r in rows], "tab:orange"),
        ("每个样本的乘加次数", [r.macs for r in rows], "tab:green"),
    )
    for ax, (title, values, color) in zip(axes, panels):
        ax.bar(names, [max(v, 0.8) for v in values], color=color)
        ax.set_title(title, fontsize=9)
        ax.set_yscale("log")
        ax.set_ylim(0.8, 4e6)
        ax.tick_params(axis="x", labelrotation=60, labelsize=7)
        ax.tick_params(axis="y", labelsize=7)
        for i, v in enumerate(values):
            if v:
                ax.text(i, v * 1.2, f"{v}", ha="center", va="bottom", fontsize=6, rotation=90)
    return fig
