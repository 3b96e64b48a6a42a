"""“人工智能、机器学习和深度学习的关系”一页的实验和图。"""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.patches import Ellipse

from dlguide.figures import figure, new_figure

__all__ = ["nested_sets"]


@figure
def nested_sets() -> Figure:
    """嵌套的集合：人工智能 ⊃ 机器学习 ⊃ 表示学习 ⊃ 深度学习，每层标一个典型例子。"""
    fig, (ax,) = new_figure(width=7.2, height=4.4)
    ax.set_axis_off()
    ax.set_aspect("equal")
    layers = [  # (名称, 例子, 宽, 高, 颜色)
        ("人工智能", "例：专家系统、搜索与规划", 10.0, 6.4, "#e8eef7"),
        ("机器学习", "例：逻辑回归、决策树、SVM", 8.0, 4.9, "#d4e4f4"),
        ("表示学习", "例：PCA、浅层自编码器", 6.0, 3.4, "#b7d3ee"),
        ("深度学习", "例：MLP、CNN、Transformer", 4.0, 1.9, "#8fbbe3"),
    ]
    for name, example, width, height, color in layers:
        # 所有椭圆的底边对齐，大的包住小的
        center_y = height / 2
        ax.add_patch(Ellipse((0, center_y), width, height, facecolor=color, edgecolor="#4a6fa5", lw=1.2))
        ax.text(0, height - 0.55, name, ha="center", va="center", fontsize=11, weight="bold")
        ax.text(0, height - 0.95, example, ha="center", va="center", fontsize=8, color="#333333")
    ax.text(0, -0.35, "每一层都是外面一层的子集：深度学习是用多层可学习的变换自动学习表示的机器学习方法",
            ha="center", fontsize=8, color="dimgray")
    ax.set_xlim(-5.3, 5.3)
    ax.set_ylim(-0.7, 6.6)
    return fig
