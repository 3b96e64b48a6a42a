"""“目标检测（吴恩达课程）”一页的实验：卷积实现滑动窗口，以及在生成的画布上训练一个 YOLO 式的小检测器。

数据是 [`make_digit_canvases`][dlguide.data.make_digit_canvases] 生成的 24×24 画布，上面随机放 1～2 个 digits
手写数字（只用 0、1、2 三类，训练才能在几秒内完成）；网格 3×3、每格 2 个锚框。没有预训练权重可下载，
检测器从零训练。
"""

from __future__ import annotations

import torch
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from torch import nn

from dlguide._checks import check_in_range, check_int, check_module, check_tensor, resolve_seed
from dlguide.data import make_digit_canvases
from dlguide.detection import batched_nms, mean_average_precision, yolo_decode, yolo_encode, yolo_loss
from dlguide.figures import figure, new_figure
from dlguide.training import fit

__all__ = [
    "ANCHORS",
    "CLASSES",
    "TinyYOLO",
    "detect",
    "detection_data",
    "predictions_figure",
    "sliding_window_net",
    "train_detector",
]

CANVAS, GRID = 24, 3
"""画布边长、网格边长（格子 8×8 像素）。"""
CLASSES = (0, 1, 2)
"""用到的数字；标签是它们在这里的位置。"""
ANCHORS = torch.tensor([[3.0, 8.0], [6.0, 8.0]])
"""两个锚框的 (w, h)：瘦高（像“1”）和方一些（像“0”“2”）。digits 的墨迹框高都是 8，宽 2～7。"""


def sliding_window_net(seed: int | None = 0) -> nn.Sequential:
    """一个 8×8 输入的小分类器，全连接层写成卷积（吴恩达课程里“FC 层转卷积”的做法）。

    结构：3×3 卷积（8 → 6）、ReLU、2×2 最大池化（6 → 3）、3×3 卷积当全连接层（3 → 1），输出 10 类。
    输入 8×8 时输出 ``(n, 10, 1, 1)``；输入更大的图时输出一张分数图，每个位置就是一个 8×8 窗口（步长 2）的结果。

    Examples
    --------
    >>> net = sliding_window_net()
    >>> tuple(net(torch.zeros(1, 1, 8, 8)).shape), tuple(net(torch.zeros(1, 1, 16, 16)).shape)
    ((1, 10, 1, 1), (1, 10, 5, 5))
    """
    seed = resolve_seed(seed)
    torch.manual_seed(seed)
    return nn.Sequential(
        nn.Conv2d(1, 4, 3), nn.ReLU(), nn.MaxPool2d(2),  # 8×8 → 6×6 → 3×3
        nn.Conv2d(4, 10, 3),  # “全连接层”：3×3 卷积核正好盖住整个 3×3 特征图
    )


def _check_canvases(images: object) -> None:
    check_tensor(images, "images", ndim=4)
    if tuple(images.shape[1:]) != (1, CANVAS, CANVAS):
        raise ValueError(f"images 的形状必须是 (B, 1, {CANVAS}, {CANVAS})，收到 {tuple(images.shape)}")


class TinyYOLO(nn.Module):
    r"""YOLO 式的小检测器：三层 3×3 卷积（批标准化、ReLU、2×2 池化）把 24×24 画布变成 3×3 特征图，
    1×1 卷积在每个格子为每个锚框输出 $[p_c, t_x, t_y, t_w, t_h, c_1, \dots, c_K]$。

    Parameters
    ----------
    channels : int
        第一层的通道数（后两层加倍），在 [1, 256] 内。
    seed : int, optional
        初始化参数的随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Examples
    --------
    >>> net = TinyYOLO()
    >>> tuple(net(torch.zeros(2, 1, 24, 24)).shape)  # (B, S, S, A, 5 + K)
    (2, 3, 3, 2, 8)
    """

    def __init__(self, channels: int = 16, seed: int | None = 0) -> None:
        super().__init__()
        check_int(channels, "channels", low=1, high=256)
        seed = resolve_seed(seed)
        torch.manual_seed(seed)
        c = channels
        self.body = nn.Sequential(
            nn.Conv2d(1, c, 3, padding=1), nn.BatchNorm2d(c), nn.ReLU(), nn.MaxPool2d(2),  # 24 → 12
            nn.Conv2d(c, 2 * c, 3, padding=1), nn.BatchNorm2d(2 * c), nn.ReLU(), nn.MaxPool2d(2),  # 12 → 6
            nn.Conv2d(2 * c, 2 * c, 3, padding=1), nn.BatchNorm2d(2 * c), nn.ReLU(), nn.MaxPool2d(2),  # 6 → 3
        )
        self.head = nn.Conv2d(2 * c, len(ANCHORS) * (5 + len(CLASSES)), 1)

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        _check_canvases(images)
        out = self.head(self.body(images))  # (B, A·(5+K), S, S)
        B, _, S, _ = out.shape
        # (B, A, 5+K, S, S) → (B, S, S, A, 5+K)：与 yolo_encode 的目标同布局
        return out.view(B, len(ANCHORS), 5 + len(CLASSES), S, S).permute(0, 3, 4, 1, 2)


def detection_data(n: int, split: str = "train", seed: int | None = 0) -> tuple[torch.Tensor, torch.Tensor, list, list]:
    """生成 ``n`` 张画布和它们的 YOLO 目标。

    Returns
    -------
    tuple
        ``(images, targets, boxes, labels)``：``images`` 形状 ``(n, 1, 24, 24)``，``targets`` 形状
        ``(n, 3, 3, 2, 8)``，``boxes``、``labels`` 是每张图的真实框和类别。

    Examples
    --------
    >>> images, targets, boxes, labels = detection_data(5)
    >>> tuple(targets.shape), int(targets[..., 0].sum()) == sum(len(b) for b in boxes)
    ((5, 3, 3, 2, 8), True)
    """
    check_int(n, "n", low=1, high=20_000)
    images, boxes, labels = make_digit_canvases(
        n, size=CANVAS, max_digits=2, digit_sizes=(8, 8), split=split, classes=CLASSES, seed=seed
    )
    targets = torch.stack([
        yolo_encode(b, lab, grid_size=GRID, image_size=float(CANVAS), anchor_sizes=ANCHORS, num_classes=len(CLASSES))
        for b, lab in zip(boxes, labels)
    ])
    return images, targets, boxes, labels


def train_detector(n_canvases: int = 1000, epochs: int = 6, seed: int | None = 0) -> TinyYOLO:
    """在 ``n_canvases`` 张训练画布上训练 [`TinyYOLO`][dlguide.pages.applications.object_detection.TinyYOLO]。

    用 [`fit`][dlguide.training.fit]（Adam，学习率 3e-3，批量 32）和 [`yolo_loss`][dlguide.detection.yolo_loss]；返回评估模式的网络。

    Examples
    --------
    >>> net = train_detector(n_canvases=32, epochs=1)
    >>> net.training
    False
    """
    check_int(n_canvases, "n_canvases", low=1, high=20_000)
    check_int(epochs, "epochs", low=1, high=200)
    seed = resolve_seed(seed)
    images, targets, _, _ = detection_data(n_canvases, "train", seed=seed)
    net = TinyYOLO(seed=seed)
    fit(net, images, targets, loss_fn=yolo_loss, epochs=epochs, lr=3e-3, batch_size=32, optimizer="adam", seed=seed)
    return net.eval()


def detect(
    net: nn.Module, images: torch.Tensor, score_threshold: float = 0.05, iou_threshold: float = 0.5
) -> list[tuple[torch.Tensor, torch.Tensor, torch.Tensor]]:
    """对每张图：前向、[`yolo_decode`][dlguide.detection.yolo_decode] 解码、按类别做 NMS（[`batched_nms`][dlguide.detection.batched_nms]）。

    Returns
    -------
    list
        每张图一个 ``(boxes, scores, labels)``，在 CPU 上，按分数从高到低。

    Examples
    --------
    >>> net = TinyYOLO().eval()
    >>> out = detect(net, torch.zeros(2, 1, 24, 24), score_threshold=0.0)
    >>> len(out), tuple(out[0][0].shape)[1]
    (2, 4)
    """
    check_module(net, "net")
    _check_canvases(images)
    check_in_range(score_threshold, "score_threshold", 0.0, 1.0)
    check_in_range(iou_threshold, "iou_threshold", 0.0, 1.0)
    device = next(net.parameters()).device
    with torch.no_grad():
        out = net.eval()(images.to(device)).cpu()
    results = []
    for o in out:
        boxes, scores, labels = yolo_decode(
            o, image_size=float(CANVAS), anchor_sizes=ANCHORS, from_logits=True, score_threshold=score_threshold
        )
        keep = batched_nms(boxes, scores, labels, iou_threshold)
        results.append((boxes[keep], scores[keep], labels[keep]))
    return results


@figure
def predictions_figure() -> Figure:
    """训练好的小检测器在 4 张测试画布上的预测（实线，带类别和分数）与真实框（虚线），标题给出测试集 mAP@0.5。"""
    net = train_detector()
    images, _, boxes, labels = detection_data(200, "test", seed=1)
    preds = detect(net, images)
    mAP = mean_average_precision(preds, list(zip(boxes, labels)), num_classes=len(CLASSES))
    fig, axes = new_figure(4, width=7.2, height=2.2)
    for k, ax in enumerate(axes):
        ax.imshow(images[k, 0].numpy(), cmap="gray_r", extent=(0, CANVAS, CANVAS, 0))
        for b in boxes[k].tolist():
            ax.add_patch(Rectangle((b[0], b[1]), b[2] - b[0], b[3] - b[1], fill=False, ls="--", ec="tab:green", lw=1.2))
        for b, s, lab in zip(*(t.tolist() for t in preds[k])):
            if s < 0.5:
                continue
            ax.add_patch(Rectangle((b[0], b[1]), b[2] - b[0], b[3] - b[1], fill=False, ec="tab:red", lw=1.2))
            ax.text(b[0], b[1] - 0.5, f"{CLASSES[lab]} {s:.2f}", color="tab:red", fontsize=8)
        for g in range(1, GRID):
            ax.axhline(g * CANVAS / GRID, color="tab:blue", lw=0.5, alpha=0.5)
            ax.axvline(g * CANVAS / GRID, color="tab:blue", lw=0.5, alpha=0.5)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
    fig.suptitle(f"测试画布上的检测结果（分数 ≥ 0.5；虚线为真实框）  mAP@0.5 = {mAP:.2f}", fontsize=10)
    return fig
