r"""目标检测的基本运算，按定义从零实现：IoU、非极大值抑制、锚框、YOLO 的网格编码与解码、RoI 池化、RoIAlign、mAP。

框一律写成 ``(x1, y1, x2, y2)``（左上角和右下角，像素坐标，$x_2 > x_1$、$y_2 > y_1$），与
``torchvision.ops`` 的约定相同。本环境不装 torchvision，测试 ``tests/test_detection.py`` 因此把每个函数与
一个逐个元素、按定义写的暴力实现对照，RoI 池化与 ``F.adaptive_max_pool2d`` 对照，RoIAlign 的双线性插值与
``F.grid_sample`` 对照，AP 与 ``sklearn.metrics.average_precision_score`` 对照。
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch
import torch.nn.functional as F

from dlguide._checks import check_choice, check_in_range, check_int, check_positive, check_tensor

__all__ = [
    "average_precision",
    "batched_nms",
    "box_area",
    "box_iou",
    "decode_boxes",
    "encode_boxes",
    "make_anchors",
    "match_detections",
    "mean_average_precision",
    "nms",
    "roi_align",
    "roi_pool",
    "yolo_decode",
    "yolo_encode",
    "yolo_loss",
]

MAX_BOXES = 1_000_000
"""一次调用最多处理的框数（防止读者误传一个放不下的张量）。"""


def _check_boxes(boxes: object, name: str) -> torch.Tensor:
    check_tensor(boxes, name, ndim=2)
    if boxes.shape[1] != 4:
        raise ValueError(f"{name} 的形状必须是 (n, 4)，每行 (x1, y1, x2, y2)，收到 {tuple(boxes.shape)}")
    check_int(len(boxes), f"len({name})", low=0, high=MAX_BOXES)
    return boxes


def box_area(boxes: torch.Tensor) -> torch.Tensor:
    r"""框的面积 $(x_2-x_1)(y_2-y_1)$，形状 ``(n,)``。

    Parameters
    ----------
    boxes : torch.Tensor
        形状 ``(n, 4)`` 的浮点张量。

    Returns
    -------
    torch.Tensor
        形状 ``(n,)``。

    Raises
    ------
    TypeError, ValueError
        ``boxes`` 不是 ``(n, 4)`` 的浮点张量。

    Examples
    --------
    >>> box_area(torch.tensor([[0.0, 0.0, 2.0, 3.0], [1.0, 1.0, 2.0, 2.0]])).tolist()
    [6.0, 1.0]
    """
    _check_boxes(boxes, "boxes")
    # 面积 = 宽 × 高
    return (boxes[:, 2] - boxes[:, 0]) * (boxes[:, 3] - boxes[:, 1])


def box_iou(boxes1: torch.Tensor, boxes2: torch.Tensor) -> torch.Tensor:
    r"""两组框两两之间的交并比 $\mathrm{IoU}(A, B) = \dfrac{|A\cap B|}{|A\cup B|}$，形状 ``(n, m)``。

    Parameters
    ----------
    boxes1, boxes2 : torch.Tensor
        形状 ``(n, 4)`` 和 ``(m, 4)`` 的浮点张量，``(x1, y1, x2, y2)``。

    Returns
    -------
    torch.Tensor
        ``iou[i, j]`` 是 ``boxes1[i]`` 与 ``boxes2[j]`` 的 IoU，在 $[0, 1]$ 内。

    Raises
    ------
    TypeError, ValueError
        输入不是 ``(n, 4)`` 的浮点张量。

    Examples
    --------
    >>> a = torch.tensor([[0.0, 0.0, 2.0, 2.0]])
    >>> b = torch.tensor([[1.0, 1.0, 3.0, 3.0], [2.0, 2.0, 4.0, 4.0], [0.0, 0.0, 2.0, 2.0]])
    >>> [round(v, 4) for v in box_iou(a, b)[0].tolist()]  # 交 1、并 7；只碰到一个角；完全重合
    [0.1429, 0.0, 1.0]
    """
    _check_boxes(boxes1, "boxes1")
    _check_boxes(boxes2, "boxes2")
    # 交集的左上角取两者的较大值、右下角取较小值；不相交时宽或高截成 0
    top_left = torch.maximum(boxes1[:, None, :2], boxes2[None, :, :2])  # (n, m, 2)
    bottom_right = torch.minimum(boxes1[:, None, 2:], boxes2[None, :, 2:])  # (n, m, 2)
    wh = (bottom_right - top_left).clamp(min=0)  # (n, m, 2)
    inter = wh[..., 0] * wh[..., 1]  # (n, m)
    # |A ∪ B| = |A| + |B| − |A ∩ B|
    union = box_area(boxes1)[:, None] + box_area(boxes2)[None, :] - inter
    return inter / union


def nms(boxes: torch.Tensor, scores: torch.Tensor, iou_threshold: float) -> torch.Tensor:
    """非极大值抑制（贪心）：按分数从高到低，保留当前最高分的框，删掉与它 IoU **大于** ``iou_threshold`` 的框，重复。

    与 ``torchvision.ops.nms`` 的约定相同：IoU 恰好等于阈值的框保留；返回保留下来的下标，按分数从高到低排列。
    分数相同时这里让下标小的优先（稳定排序）；torchvision 的文档不保证这一点，CPU 与 GPU 上可能不同。

    Parameters
    ----------
    boxes : torch.Tensor
        形状 ``(n, 4)``。
    scores : torch.Tensor
        形状 ``(n,)``。
    iou_threshold : float
        在 $[0, 1]$ 内。

    Returns
    -------
    torch.Tensor
        int64 下标，形状 ``(k,)``。

    Raises
    ------
    TypeError, ValueError
        形状不符或阈值越界。

    Examples
    --------
    >>> boxes = torch.tensor([[0.0, 0.0, 10.0, 10.0], [1.0, 1.0, 11.0, 11.0], [20.0, 20.0, 30.0, 30.0]])
    >>> nms(boxes, torch.tensor([0.9, 0.8, 0.7]), iou_threshold=0.5).tolist()  # 第 2 个框与第 1 个的 IoU 为 0.68
    [0, 2]
    """
    _check_boxes(boxes, "boxes")
    check_tensor(scores, "scores", ndim=1)
    if len(scores) != len(boxes):
        raise ValueError(f"scores 的长度必须等于框数 {len(boxes)}，收到 {len(scores)}")
    check_in_range(iou_threshold, "iou_threshold", 0.0, 1.0)
    order = torch.sort(scores, descending=True, stable=True).indices
    iou = box_iou(boxes, boxes)  # (n, n)
    suppressed = torch.zeros(len(boxes), dtype=torch.bool, device=boxes.device)
    keep = []
    for i in order.tolist():
        if suppressed[i]:
            continue
        keep.append(i)
        # 与刚保留的框重叠太多（IoU > 阈值）的框都不再考虑
        suppressed |= iou[i] > iou_threshold
    return torch.tensor(keep, dtype=torch.int64, device=boxes.device)


def batched_nms(boxes: torch.Tensor, scores: torch.Tensor, classes: torch.Tensor, iou_threshold: float) -> torch.Tensor:
    r"""按类别分别做 NMS（不同类别的框互不抑制），与 ``torchvision.ops.batched_nms`` 的约定相同。

    实现用的是常见的平移技巧：把第 $c$ 类的框整体平移 $c\,(M+1)$（$M$ 是最大坐标），
    不同类别的框就不可能相交，一次 NMS 就等于逐类 NMS。平移量很大时（坐标大、类别号大），float32 的舍入会让
    平移后的 IoU 与原来的差一点点；torchvision 也用这个技巧，框很多时则改为逐类循环。

    Parameters
    ----------
    boxes : torch.Tensor
        形状 ``(n, 4)``。
    scores : torch.Tensor
        形状 ``(n,)``。
    classes : torch.Tensor
        形状 ``(n,)`` 的整数类别。
    iou_threshold : float
        在 $[0, 1]$ 内。

    Returns
    -------
    torch.Tensor
        保留的下标，按分数从高到低。

    Raises
    ------
    TypeError, ValueError
        形状或类型不符。

    Examples
    --------
    >>> boxes = torch.tensor([[0.0, 0.0, 10.0, 10.0], [1.0, 1.0, 11.0, 11.0]])
    >>> scores = torch.tensor([0.9, 0.8])
    >>> batched_nms(boxes, scores, torch.tensor([0, 1]), 0.5).tolist()  # 类别不同：两个都保留
    [0, 1]
    >>> batched_nms(boxes, scores, torch.tensor([3, 3]), 0.5).tolist()
    [0]
    """
    _check_boxes(boxes, "boxes")
    check_tensor(classes, "classes", kind="int", ndim=1)
    if len(classes) != len(boxes):
        raise ValueError(f"classes 的长度必须等于框数 {len(boxes)}，收到 {len(classes)}")
    if len(boxes) == 0:
        return torch.zeros(0, dtype=torch.int64, device=boxes.device)
    # 第 c 类平移 c·(M + 1)：不同类别的框彼此远离，IoU 恒为 0
    offset = classes.to(boxes.dtype)[:, None] * (boxes.abs().max() + 1)
    return nms(boxes + offset, scores, iou_threshold)


def make_anchors(grid_size: int, image_size: float, anchor_sizes: torch.Tensor) -> torch.Tensor:
    r"""锚框：在 $S\times S$ 网格的每个格子中心放 $A$ 个给定宽高的框，返回形状 ``(S, S, A, 4)``。

    第 ``(i, j, a)`` 个锚框的中心是第 $i$ 行、第 $j$ 列格子的中心，宽高是 ``anchor_sizes[a]``。

    Parameters
    ----------
    grid_size : int
        网格边长 $S$，在 $[1, 256]$ 内。
    image_size : float
        图像边长（像素），> 0。
    anchor_sizes : torch.Tensor
        形状 ``(A, 2)`` 的正数，每行 ``(w, h)``。

    Returns
    -------
    torch.Tensor
        形状 ``(S, S, A, 4)``。

    Raises
    ------
    TypeError, ValueError
        参数越界。

    Examples
    --------
    >>> anchors = make_anchors(2, 16.0, torch.tensor([[4.0, 4.0], [2.0, 6.0]]))
    >>> tuple(anchors.shape)
    (2, 2, 2, 4)
    >>> anchors[0, 1].tolist()  # 第 0 行第 1 列的格子，中心 (12, 4)
    [[10.0, 2.0, 14.0, 6.0], [11.0, 1.0, 13.0, 7.0]]
    """
    check_int(grid_size, "grid_size", low=1, high=256)
    check_positive(image_size, "image_size")
    _check_anchor_sizes(anchor_sizes)
    cell = image_size / grid_size
    centers = (torch.arange(grid_size, dtype=anchor_sizes.dtype, device=anchor_sizes.device) + 0.5) * cell  # (S,)
    cy, cx = torch.meshgrid(centers, centers, indexing="ij")  # (S, S)
    center = torch.stack([cx, cy], dim=-1)[:, :, None, :]  # (S, S, 1, 2)
    half = anchor_sizes[None, None] / 2  # (1, 1, A, 2)
    return torch.cat([center - half, center + half], dim=-1)


def _check_anchor_sizes(anchor_sizes: object) -> torch.Tensor:
    check_tensor(anchor_sizes, "anchor_sizes", ndim=2, nonempty=True)
    if anchor_sizes.shape[1] != 2 or not bool((anchor_sizes > 0).all()) or not bool(anchor_sizes.isfinite().all()):
        raise ValueError(f"anchor_sizes 必须是形状 (A, 2) 的有限正数（每行 w, h），收到形状 {tuple(anchor_sizes.shape)}")
    check_int(len(anchor_sizes), "len(anchor_sizes)", low=1, high=64)
    return anchor_sizes


def _shape_iou(wh: torch.Tensor, anchor_sizes: torch.Tensor) -> torch.Tensor:
    """只比形状的 IoU：把框和锚框都移到同一个中心。``wh`` (n, 2)，返回 (n, A)。"""
    inter = torch.minimum(wh[:, None, 0], anchor_sizes[None, :, 0]) * torch.minimum(wh[:, None, 1], anchor_sizes[None, :, 1])
    union = (wh[:, 0] * wh[:, 1])[:, None] + (anchor_sizes[:, 0] * anchor_sizes[:, 1])[None, :] - inter
    return inter / union


def yolo_encode(
    boxes: torch.Tensor,
    labels: torch.Tensor,
    *,
    grid_size: int,
    image_size: float,
    anchor_sizes: torch.Tensor,
    num_classes: int,
) -> torch.Tensor:
    r"""把一张图的真实框编码成 YOLO 的训练目标，形状 ``(S, S, A, 5 + K)``。

    每个物体只由**中心所在的格子**里、与它形状 IoU 最大的那个锚框负责（吴恩达课程与 YOLOv2 的做法）。
    这个位置的向量是 $[p_c, t_x, t_y, t_w, t_h, c_1, \dots, c_K]$：

    $$
    p_c = 1,\quad t_x = \frac{x_c}{s} - j,\quad t_y = \frac{y_c}{s} - i,\quad
    t_w = \log\frac{w}{w_a},\quad t_h = \log\frac{h}{h_a},
    $$

    $s$ 是格子边长，$(i, j)$ 是格子的行列，$(w_a, h_a)$ 是锚框的宽高，$c$ 是独热类别；其余位置全为 0。
    $t_x, t_y\in[0,1)$ 是中心在格子内的相对位置。[`yolo_decode`][dlguide.detection.yolo_decode] 是它的逆运算。

    Parameters
    ----------
    boxes : torch.Tensor
        形状 ``(n, 4)``，完全在图内。
    labels : torch.Tensor
        形状 ``(n,)`` 的整数类别，在 $[0, K)$ 内。
    grid_size : int
        网格边长 $S$，在 $[1, 256]$ 内。
    image_size : float
        图像边长（像素），> 0。
    anchor_sizes : torch.Tensor
        形状 ``(A, 2)``，锚框的 ``(w, h)``。
    num_classes : int
        类别数 $K$，在 $[1, 1000]$ 内。

    Returns
    -------
    torch.Tensor
        形状 ``(S, S, A, 5 + K)``。

    Raises
    ------
    TypeError, ValueError
        参数不合法；两个物体落到同一个格子的同一个锚框（编码无法表示，信息里写明是哪两个框）。

    Examples
    --------
    >>> target = yolo_encode(torch.tensor([[2.0, 9.0, 6.0, 15.0]]), torch.tensor([1]), grid_size=2,
    ...                      image_size=16.0, anchor_sizes=torch.tensor([[4.0, 4.0], [4.0, 8.0]]), num_classes=2)
    >>> [round(v, 4) for v in target[1, 0, 1].tolist()]  # 中心 (4, 12) 在第 1 行第 0 列；高瘦，由第 1 个锚框负责
    [1.0, 0.5, 0.5, 0.0, -0.2877, 0.0, 1.0]
    >>> int(target[..., 0].sum())
    1
    """
    _check_boxes(boxes, "boxes")
    check_tensor(labels, "labels", kind="int", ndim=1)
    check_int(grid_size, "grid_size", low=1, high=256)
    check_positive(image_size, "image_size")
    _check_anchor_sizes(anchor_sizes)
    check_int(num_classes, "num_classes", low=1, high=1000)
    if len(labels) != len(boxes):
        raise ValueError(f"labels 的长度必须等于框数 {len(boxes)}，收到 {len(labels)}")
    if len(labels) and (int(labels.min()) < 0 or int(labels.max()) >= num_classes):
        raise ValueError(f"labels 必须在 [0, {num_classes}) 内，收到 {labels.tolist()}")
    inside = (boxes[:, 0] >= 0) & (boxes[:, 1] >= 0) & (boxes[:, 2] <= image_size) & (boxes[:, 3] <= image_size)
    if not bool((inside & (boxes[:, 2] > boxes[:, 0]) & (boxes[:, 3] > boxes[:, 1])).all()):
        raise ValueError(f"boxes 必须是 [0, {image_size}] 内、宽高为正的框")
    s = image_size / grid_size
    target = boxes.new_zeros(grid_size, grid_size, len(anchor_sizes), 5 + num_classes)
    wh = boxes[:, 2:] - boxes[:, :2]  # (n, 2)
    center = (boxes[:, :2] + boxes[:, 2:]) / 2  # (n, 2)
    best_anchor = _shape_iou(wh, anchor_sizes.to(boxes.dtype)).argmax(dim=1)  # (n,)
    owner: dict[tuple[int, int, int], int] = {}
    for k in range(len(boxes)):
        # 中心所在的格子：列 j = ⌊x_c / s⌋，行 i = ⌊y_c / s⌋（中心正好在图的右/下边缘时归最后一格）
        j = min(int(center[k, 0] // s), grid_size - 1)
        i = min(int(center[k, 1] // s), grid_size - 1)
        a = int(best_anchor[k])
        if (i, j, a) in owner:
            raise ValueError(f"框 {owner[(i, j, a)]} 与框 {k} 落在同一个格子 ({i}, {j}) 的同一个锚框 {a}，YOLO 编码只能表示其中一个")
        owner[(i, j, a)] = k
        # t_x = x_c / s − j，t_y = y_c / s − i：中心在格子内的相对位置，∈ [0, 1]
        tx, ty = center[k, 0] / s - j, center[k, 1] / s - i
        # t_w = log(w / w_a)，t_h = log(h / h_a)：相对锚框的对数缩放
        tw_th = torch.log(wh[k] / anchor_sizes[a].to(boxes.dtype))
        target[i, j, a, 0] = 1.0
        target[i, j, a, 1:5] = torch.stack([tx, ty, tw_th[0], tw_th[1]])
        target[i, j, a, 5 + int(labels[k])] = 1.0
    return target


def yolo_decode(
    output: torch.Tensor,
    *,
    image_size: float,
    anchor_sizes: torch.Tensor,
    from_logits: bool = False,
    score_threshold: float = 0.5,
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    r"""把一张图的 YOLO 输出 ``(S, S, A, 5 + K)`` 解码成框、分数和类别（[`yolo_encode`][dlguide.detection.yolo_encode] 的逆运算）。

    $$
    x_c = (j + t_x)\,s,\quad y_c = (i + t_y)\,s,\quad w = w_a e^{t_w},\quad h = h_a e^{t_h},\qquad
    \text{分数} = p_c \cdot \max_k c_k .
    $$

    ``from_logits=True`` 时输入是网络的原始输出：先对 $p_c, t_x, t_y$ 取 sigmoid、对类别取 softmax。
    只返回分数 ≥ ``score_threshold`` 的位置；没有做 NMS。

    Parameters
    ----------
    output : torch.Tensor
        形状 ``(S, S, A, 5 + K)``。
    image_size : float
        图像边长（像素），> 0。
    anchor_sizes : torch.Tensor
        形状 ``(A, 2)``。
    from_logits : bool
        输入是否为原始输出。
    score_threshold : float
        在 $[0, 1]$ 内。

    Returns
    -------
    tuple[torch.Tensor, torch.Tensor, torch.Tensor]
        ``boxes`` ``(n, 4)``、``scores`` ``(n,)``、``labels`` ``(n,)``，按格子行、列、锚框的顺序。

    Raises
    ------
    TypeError, ValueError
        形状不符或参数越界。

    Examples
    --------
    >>> anchors = torch.tensor([[4.0, 4.0], [4.0, 8.0]])
    >>> box = torch.tensor([[2.0, 9.0, 6.0, 15.0]])
    >>> target = yolo_encode(box, torch.tensor([1]), grid_size=2, image_size=16.0, anchor_sizes=anchors, num_classes=2)
    >>> boxes, scores, labels = yolo_decode(target, image_size=16.0, anchor_sizes=anchors)
    >>> [round(v, 4) for v in boxes[0].tolist()], scores.tolist(), labels.tolist()
    ([2.0, 9.0, 6.0, 15.0], [1.0], [1])
    """
    check_tensor(output, "output", ndim=4)
    _check_anchor_sizes(anchor_sizes)
    check_positive(image_size, "image_size")
    check_in_range(score_threshold, "score_threshold", 0.0, 1.0)
    if not isinstance(from_logits, bool):
        raise TypeError(f"from_logits 必须是 True 或 False，收到的是 {type(from_logits).__name__}")
    S, S2, A, D = output.shape
    if S != S2 or A != len(anchor_sizes) or D < 6:
        raise ValueError(f"output 的形状必须是 (S, S, {len(anchor_sizes)}, 5 + K)（K ≥ 1），收到 {tuple(output.shape)}")
    if from_logits:
        obj, txy = torch.sigmoid(output[..., 0]), torch.sigmoid(output[..., 1:3])
        cls = torch.softmax(output[..., 5:], dim=-1)
    else:
        obj, txy, cls = output[..., 0], output[..., 1:3], output[..., 5:]
    s = image_size / S
    rows, cols = torch.meshgrid(torch.arange(S, device=output.device), torch.arange(S, device=output.device), indexing="ij")
    offset = torch.stack([cols, rows], dim=-1)[:, :, None, :].to(output.dtype)  # (S, S, 1, 2)
    # x_c = (j + t_x)·s，y_c = (i + t_y)·s
    center = (offset + txy) * s  # (S, S, A, 2)
    # w = w_a·exp(t_w)，h = h_a·exp(t_h)
    wh = anchor_sizes.to(output.dtype) * torch.exp(output[..., 3:5])  # (S, S, A, 2)
    # 分数 = p_c · max_k c_k
    best, labels = cls.max(dim=-1)
    scores = obj * best  # (S, S, A)
    keep = scores >= score_threshold
    boxes = torch.cat([center - wh / 2, center + wh / 2], dim=-1)
    return boxes[keep], scores[keep], labels[keep]


def yolo_loss(
    output: torch.Tensor,
    target: torch.Tensor,
    *,
    lambda_coord: float = 5.0,
    lambda_noobj: float = 0.5,
) -> torch.Tensor:
    r"""YOLO 风格的多任务损失（对批量取平均）：有物体的位置学框和类别，所有位置学“有没有物体”。

    $$
    L = \lambda_{\text{coord}}\!\sum_{\text{obj}}\!\bigl[(\sigma(\hat t_x)-t_x)^2+(\sigma(\hat t_y)-t_y)^2+(\hat t_w-t_w)^2+(\hat t_h-t_h)^2\bigr]
      + \sum_{\text{obj}}\!\mathrm{BCE}(\hat p, 1) + \lambda_{\text{noobj}}\!\sum_{\text{noobj}}\!\mathrm{BCE}(\hat p, 0)
      + \sum_{\text{obj}}\!\mathrm{CE}(\hat c, c)
    $$

    权重 $\lambda_{\text{coord}}=5$、$\lambda_{\text{noobj}}=0.5$ 取自 YOLOv1，但其余细节与 YOLOv1 不同：YOLOv1 没有锚框，
    所有项都用平方误差，宽高回归的是 $\sqrt w$、$\sqrt h$（让小框的误差更重），有物体处置信度的目标是预测框与真实框的 IoU 而不是 1。
    这里沿用 YOLOv2 的锚框编码（$\sigma(\hat t_x)$、$\log$ 缩放），置信度改用二元交叉熵、类别用 softmax 交叉熵；
    YOLOv3 起类别也改成每类一个二元交叉熵（允许多标签）。

    Parameters
    ----------
    output : torch.Tensor
        网络的原始输出，形状 ``(B, S, S, A, 5 + K)``。
    target : torch.Tensor
        [`yolo_encode`][dlguide.detection.yolo_encode] 的结果叠成的批量，形状与 ``output`` 相同。
    lambda_coord, lambda_noobj : float
        ≥ 0 的权重。

    Returns
    -------
    torch.Tensor
        标量。

    Raises
    ------
    TypeError, ValueError
        形状不符或权重为负。

    Examples
    --------
    >>> anchors = torch.tensor([[4.0, 4.0]])
    >>> t = yolo_encode(torch.tensor([[2.0, 2.0, 6.0, 6.0]]), torch.tensor([0]), grid_size=2,
    ...                 image_size=16.0, anchor_sizes=anchors, num_classes=2)[None]
    >>> perfect = torch.where(t > 0, 20.0, -20.0)  # 有物体处 logit 很大，其余很小
    >>> perfect[..., 1:5] = torch.tensor([0.0, 0.0, 0.0, 0.0])  # σ(0) = 0.5 正是 t_x、t_y；t_w = t_h = 0
    >>> round(yolo_loss(perfect, t).item(), 4)
    0.0
    """
    check_tensor(output, "output", ndim=5)
    check_tensor(target, "target", ndim=5)
    if output.shape != target.shape or output.shape[-1] < 6:
        raise ValueError(f"output 与 target 的形状必须相同且为 (B, S, S, A, 5 + K)，收到 {tuple(output.shape)} 和 {tuple(target.shape)}")
    check_in_range(lambda_coord, "lambda_coord", 0.0, math.inf, high_open=True)
    check_in_range(lambda_noobj, "lambda_noobj", 0.0, math.inf, high_open=True)
    obj = target[..., 0] > 0.5  # (B, S, S, A)
    bce = F.binary_cross_entropy_with_logits(output[..., 0], target[..., 0], reduction="none")
    # 有物体的位置 BCE(p̂, 1)，没有物体的位置乘 λ_noobj
    conf = bce[obj].sum() + lambda_noobj * bce[~obj].sum()
    p, t = output[obj], target[obj]  # (n_obj, 5 + K)
    # 中心用 σ(t̂) 回归到 [0, 1] 内的 t_x、t_y，宽高直接回归对数缩放 t_w、t_h
    coord = ((torch.sigmoid(p[:, 1:3]) - t[:, 1:3]) ** 2).sum() + ((p[:, 3:5] - t[:, 3:5]) ** 2).sum()
    cls = F.cross_entropy(p[:, 5:], t[:, 5:].argmax(dim=1), reduction="sum") if len(p) else output.sum() * 0
    return (lambda_coord * coord + conf + cls) / len(output)


def _check_rois(features: object, rois: object, output_size: int | Sequence[int], spatial_scale: float) -> tuple[int, int]:
    check_tensor(features, "features", ndim=4)
    check_tensor(rois, "rois", ndim=2, nonempty=True)
    if rois.shape[1] != 5:
        raise ValueError(f"rois 的形状必须是 (K, 5)，每行 (批内下标, x1, y1, x2, y2)，收到 {tuple(rois.shape)}")
    check_int(len(rois), "len(rois)", low=0, high=10_000)
    if len(rois) and not bool(rois.isfinite().all()):
        raise ValueError("rois 必须是有限数")
    if len(rois) and (int(rois[:, 0].min()) < 0 or int(rois[:, 0].max()) >= len(features)):
        raise ValueError(f"rois 的第 0 列是批内下标，必须在 [0, {len(features)}) 内")
    check_positive(spatial_scale, "spatial_scale")
    size = (output_size, output_size) if isinstance(output_size, int) and not isinstance(output_size, bool) else output_size
    if isinstance(size, (str, bytes)) or not isinstance(size, Sequence) or len(size) != 2:
        raise TypeError(f"output_size 必须是正整数或两个正整数 (h, w)，收到 {output_size!r}")
    ph = check_int(size[0], "output_size[0]", low=1, high=256)
    pw = check_int(size[1], "output_size[1]", low=1, high=256)
    return ph, pw


def _round_half_away(x: float) -> int:
    """C++ 的 ``std::round``：.5 远离 0 舍入（Python 的 ``round`` 是银行家舍入）。"""
    return int(math.copysign(math.floor(abs(x) + 0.5), x))


def roi_pool(
    features: torch.Tensor,
    rois: torch.Tensor,
    output_size: int | Sequence[int],
    spatial_scale: float = 1.0,
) -> torch.Tensor:
    r"""RoI 池化（Fast R-CNN）：把每个候选区域在特征图上**量化**到整数格子，切成 $h\times w$ 块，每块取最大值。

    两次取整：框的坐标先乘 ``spatial_scale`` 再四舍五入到整数像素（端点都包含在内），
    第 $p$ 块覆盖 $\bigl[\lfloor p\,\tfrac{H_r}{h}\rfloor, \lceil (p+1)\tfrac{H_r}{h}\rceil\bigr)$。
    约定与 ``torchvision.ops.roi_pool`` 相同。

    Parameters
    ----------
    features : torch.Tensor
        形状 ``(N, C, H, W)``。
    rois : torch.Tensor
        形状 ``(K, 5)``，每行 ``(批内下标, x1, y1, x2, y2)``，坐标在输入图像上。
    output_size : int or (int, int)
        输出的 ``(h, w)``，每个在 $[1, 256]$ 内。
    spatial_scale : float
        特征图相对输入图像的缩放（例如步长 16 时为 1/16），> 0。

    Returns
    -------
    torch.Tensor
        形状 ``(K, C, h, w)``；落在特征图外的空块为 0。

    Raises
    ------
    TypeError, ValueError
        形状或参数不合法。

    Examples
    --------
    >>> f = torch.arange(16.0).reshape(1, 1, 4, 4)
    >>> roi_pool(f, torch.tensor([[0.0, 0.0, 0.0, 3.0, 3.0]]), 2)[0, 0].tolist()
    [[5.0, 7.0], [13.0, 15.0]]
    """
    ph, pw = _check_rois(features, rois, output_size, spatial_scale)
    _, C, H, W = features.shape
    out = features.new_zeros(len(rois), C, ph, pw)
    for k, (b, x1, y1, x2, y2) in enumerate(rois.tolist()):
        # 第一次量化：框的端点四舍五入到特征图的整数像素
        xs, ys = _round_half_away(x1 * spatial_scale), _round_half_away(y1 * spatial_scale)
        xe, ye = _round_half_away(x2 * spatial_scale), _round_half_away(y2 * spatial_scale)
        roi_w, roi_h = max(xe - xs + 1, 1), max(ye - ys + 1, 1)
        for p in range(ph):
            # 第二次量化：第 p 块覆盖 [⌊p·H_r/h⌋, ⌈(p+1)·H_r/h⌉)，截到特征图内
            h0 = min(max(math.floor(p * roi_h / ph) + ys, 0), H)
            h1 = min(max(math.ceil((p + 1) * roi_h / ph) + ys, 0), H)
            for q in range(pw):
                w0 = min(max(math.floor(q * roi_w / pw) + xs, 0), W)
                w1 = min(max(math.ceil((q + 1) * roi_w / pw) + xs, 0), W)
                if h1 > h0 and w1 > w0:
                    out[k, :, p, q] = features[int(b), :, h0:h1, w0:w1].amax(dim=(1, 2))
    return out


def _bilinear_weights(coords: torch.Tensor, size: int) -> torch.Tensor:
    """一维双线性插值的权重矩阵 ``(P, size)``：第 p 行把长度 ``size`` 的信号插值到坐标 ``coords[p]``。

    像素 ``i`` 的中心在坐标 ``i``。与 torchvision 的 RoIAlign 一致：坐标 < −1 或 > size 的点取 0；
    [−1, 0] 内截到 0；超过 size − 1 的截到 size − 1。
    """
    weights = coords.new_zeros(len(coords), size)
    for p, c in enumerate(coords.tolist()):
        if c < -1.0 or c > size:
            continue
        c = max(c, 0.0)
        low = int(c)
        if low >= size - 1:
            weights[p, size - 1] = 1.0
            continue
        # 线性插值：v(c) = (1 − l)·v[low] + l·v[low + 1]，l = c − low
        frac = c - low
        weights[p, low] = 1.0 - frac
        weights[p, low + 1] = frac
    return weights


def roi_align(
    features: torch.Tensor,
    rois: torch.Tensor,
    output_size: int | Sequence[int],
    spatial_scale: float = 1.0,
    sampling_ratio: int = -1,
    aligned: bool = False,
) -> torch.Tensor:
    r"""RoIAlign（Mask R-CNN）：不取整，在每块里放 $g_h\times g_w$ 个规则采样点，用**双线性插值**取值后求平均。

    框在特征图上的坐标是 $x_1\cdot\text{scale} - o$（``aligned=True`` 时 $o = 0.5$，即像素中心对齐；
    ``False`` 时 $o=0$ 且框的宽高至少取 1，这是 torchvision 为兼容旧模型保留的默认值）。第 $p$ 块里的采样点

    $$
    y = y_1 + p\,b_h + \Bigl(u + \tfrac12\Bigr)\frac{b_h}{g_h},\quad u = 0, \dots, g_h - 1,\qquad b_h = \frac{H_r}{h},
    $$

    ``sampling_ratio`` ≤ 0 时 $g_h = \lceil H_r / h\rceil$（自适应）。约定与 ``torchvision.ops.roi_align`` 相同。

    Parameters
    ----------
    features : torch.Tensor
        形状 ``(N, C, H, W)``。
    rois : torch.Tensor
        形状 ``(K, 5)``，每行 ``(批内下标, x1, y1, x2, y2)``。
    output_size : int or (int, int)
        输出的 ``(h, w)``，每个在 $[1, 256]$ 内。
    spatial_scale : float
        特征图相对输入图像的缩放，> 0。
    sampling_ratio : int
        每块每个方向的采样点数，在 $[-1, 64]$ 内；≤ 0 表示自适应。
    aligned : bool
        是否减去半个像素。

    Returns
    -------
    torch.Tensor
        形状 ``(K, C, h, w)``。

    Raises
    ------
    TypeError, ValueError
        形状或参数不合法。

    Examples
    --------
    >>> f = torch.arange(16.0).reshape(1, 1, 4, 4)  # 值 = 4·行 + 列，是坐标的线性函数
    >>> out = roi_align(f, torch.tensor([[0.0, 0.5, 0.5, 2.5, 2.5]]), 2, sampling_ratio=1, aligned=True)
    >>> out[0, 0].tolist()  # 采样点 (0.5, 0.5) 等处：双线性插值对线性函数是精确的
    [[2.5, 3.5], [6.5, 7.5]]
    """
    ph, pw = _check_rois(features, rois, output_size, spatial_scale)
    check_int(sampling_ratio, "sampling_ratio", low=-1, high=64)
    if not isinstance(aligned, bool):
        raise TypeError(f"aligned 必须是 True 或 False，收到的是 {type(aligned).__name__}")
    _, C, H, W = features.shape
    out = features.new_zeros(len(rois), C, ph, pw)
    offset = 0.5 if aligned else 0.0
    for k, (b, x1, y1, x2, y2) in enumerate(rois.tolist()):
        # 框在特征图上的连续坐标（不取整）
        x1, y1 = x1 * spatial_scale - offset, y1 * spatial_scale - offset
        roi_w, roi_h = x2 * spatial_scale - offset - x1, y2 * spatial_scale - offset - y1
        if not aligned:
            roi_w, roi_h = max(roi_w, 1.0), max(roi_h, 1.0)
        gh = sampling_ratio if sampling_ratio > 0 else math.ceil(roi_h / ph)
        gw = sampling_ratio if sampling_ratio > 0 else math.ceil(roi_w / pw)
        if gh * ph > 100_000 or gw * pw > 100_000:
            raise ValueError(f"第 {k} 个 RoI 在特征图上太大（{roi_h:.0f}×{roi_w:.0f}），自适应采样点过多：检查 rois 与 spatial_scale")
        if gh <= 0 or gw <= 0:
            continue
        bh, bw = roi_h / ph, roi_w / pw
        # y = y1 + p·b_h + (u + ½)·b_h / g_h：每块 g_h 个等距采样点，按 (块, 点) 展开
        ys = y1 + (torch.arange(ph, dtype=torch.float64)[:, None] * bh
                   + (torch.arange(gh, dtype=torch.float64)[None, :] + 0.5) * bh / gh).reshape(-1)  # (h·g_h,)
        xs = x1 + (torch.arange(pw, dtype=torch.float64)[:, None] * bw
                   + (torch.arange(gw, dtype=torch.float64)[None, :] + 0.5) * bw / gw).reshape(-1)  # (w·g_w,)
        wy = _bilinear_weights(ys, H).to(features)  # (h·g_h, H)
        wx = _bilinear_weights(xs, W).to(features)  # (w·g_w, W)
        # 双线性插值可分离：先沿行插值再沿列插值，v = W_y · F · W_xᵀ
        samples = wy @ features[int(b)] @ wx.T  # (C, h·g_h, w·g_w)
        # 每块内 g_h × g_w 个采样点取平均
        out[k] = samples.reshape(C, ph, gh, pw, gw).mean(dim=(2, 4))
    return out


def match_detections(
    boxes: torch.Tensor,
    scores: torch.Tensor,
    gt_boxes: torch.Tensor,
    iou_threshold: float = 0.5,
) -> tuple[torch.Tensor, torch.Tensor]:
    """把一张图、一个类别的预测框与真实框配对（PASCAL VOC 的规则），判定每个预测是 TP 还是 FP。

    按分数从高到低处理预测：它与 IoU 最大的真实框的 IoU ≥ ``iou_threshold``、且那个真实框还没被更高分的预测占用，
    就是 TP，否则是 FP（重复检测同一个物体也算 FP）。阈值处的取舍：VOC 论文写“超过 50%”，官方 MATLAB 评测代码用 ≥，
    流传很广的 Python 移植（py-faster-rcnn 的 ``voc_eval.py``）用 >；这里用 ≥（与官方代码、pycocotools 相同），
    只有 IoU 恰好等于阈值时才有差别。COCO 的配对规则也不同：它在**还没被占用**的真实框里找 IoU 最大的那个，
    而 VOC 只看 IoU 最大的真实框，它已被占用就直接判 FP。

    Parameters
    ----------
    boxes : torch.Tensor
        预测框 ``(n, 4)``。
    scores : torch.Tensor
        预测分数 ``(n,)``。
    gt_boxes : torch.Tensor
        真实框 ``(g, 4)``。
    iou_threshold : float
        在 $[0, 1]$ 内。

    Returns
    -------
    tuple[torch.Tensor, torch.Tensor]
        按分数从高到低排好的 ``scores`` 和对应的 ``is_tp``（bool）。

    Raises
    ------
    TypeError, ValueError
        形状不符或阈值越界。

    Examples
    --------
    >>> gt = torch.tensor([[0.0, 0.0, 10.0, 10.0]])
    >>> boxes = torch.tensor([[0.0, 0.0, 10.0, 9.0], [1.0, 0.0, 10.0, 10.0], [20.0, 20.0, 30.0, 30.0]])
    >>> s, tp = match_detections(boxes, torch.tensor([0.6, 0.9, 0.8]), gt)
    >>> [round(v, 4) for v in s.tolist()], tp.tolist()  # 0.9 先占了唯一的真实框；0.6 是重复检测
    ([0.9, 0.8, 0.6], [True, False, False])
    """
    _check_boxes(boxes, "boxes")
    _check_boxes(gt_boxes, "gt_boxes")
    check_tensor(scores, "scores", ndim=1)
    if len(scores) != len(boxes):
        raise ValueError(f"scores 的长度必须等于框数 {len(boxes)}，收到 {len(scores)}")
    check_in_range(iou_threshold, "iou_threshold", 0.0, 1.0)
    order = torch.sort(scores, descending=True, stable=True).indices
    is_tp = torch.zeros(len(boxes), dtype=torch.bool)
    if len(gt_boxes) == 0 or len(boxes) == 0:
        return scores[order], is_tp
    iou = box_iou(boxes[order], gt_boxes)  # (n, g)
    taken = torch.zeros(len(gt_boxes), dtype=torch.bool)
    for r in range(len(order)):
        best = int(iou[r].argmax())
        if float(iou[r, best]) >= iou_threshold and not taken[best]:
            taken[best] = True
            is_tp[r] = True
    return scores[order], is_tp


def average_precision(scores: torch.Tensor, is_tp: torch.Tensor, num_gt: int, method: str = "all") -> float:
    r"""一个类别的平均精度 AP：查准率-查全率曲线下的面积。

    按分数从高到低取前 $k$ 个预测，$P_k = \mathrm{TP}_k / k$，$R_k = \mathrm{TP}_k / N_{\text{gt}}$。

    - ``"all"``（PASCAL VOC 2010 起）：先把曲线改成**单调包络** $\tilde P(r) = \max_{r'\ge r} P(r')$，
      再求面积 $\sum_k (R_k - R_{k-1})\,\tilde P(R_k)$；
    - ``"11point"``（VOC 2007）：$\frac1{11}\sum_{r\in\{0, 0.1, \dots, 1\}} \tilde P(r)$；
    - ``"none"``：不插值，$\sum_k (R_k - R_{k-1})\,P_k$，即 ``sklearn.metrics.average_precision_score``
      的定义（再乘上查全率上限 $\mathrm{TP}/N_{\text{gt}}$，因为 scikit-learn 看不到漏检的物体）。

    Parameters
    ----------
    scores : torch.Tensor
        形状 ``(n,)`` 的预测分数。
    is_tp : torch.Tensor
        形状 ``(n,)`` 的 bool，[`match_detections`][dlguide.detection.match_detections] 的结果。
    num_gt : int
        这个类别的真实框总数 $N_{\text{gt}}$，≥ 1。
    method : str
        ``"all"``、``"11point"`` 或 ``"none"``。

    Returns
    -------
    float
        $[0, 1]$ 内的 AP。

    Raises
    ------
    TypeError, ValueError
        形状不符、``num_gt`` 小于 TP 数，或 ``method`` 不认识。

    Examples
    --------
    >>> scores = torch.tensor([0.9, 0.8, 0.7, 0.6])
    >>> is_tp = torch.tensor([True, False, True, False])
    >>> average_precision(scores, is_tp, num_gt=2)  # 曲线点 (R, P)：(0.5, 1), (0.5, 0.5), (1, 0.667), (1, 0.5)
    0.8333
    >>> average_precision(scores, is_tp, num_gt=4)  # 还有两个物体一直没被检出：查全率最多 0.5
    0.4167
    """
    check_tensor(scores, "scores", ndim=1)
    check_tensor(is_tp, "is_tp", kind="any", ndim=1)
    if is_tp.dtype != torch.bool:
        raise TypeError(f"is_tp 必须是 bool 张量，收到的是 {is_tp.dtype}")
    if len(is_tp) != len(scores):
        raise ValueError(f"scores 与 is_tp 的长度必须相同，收到 {len(scores)} 和 {len(is_tp)}")
    check_int(num_gt, "num_gt", low=1, high=MAX_BOXES)
    check_choice(method, "method", ("all", "11point", "none"))
    if int(is_tp.sum()) > num_gt:
        raise ValueError(f"num_gt 不能小于 TP 的个数 {int(is_tp.sum())}，收到 {num_gt}")
    order = torch.sort(scores, descending=True, stable=True).indices
    tp = is_tp[order].to(torch.float64).cpu()
    cum_tp = torch.cumsum(tp, dim=0)
    # P_k = TP_k / k，R_k = TP_k / N_gt
    precision = cum_tp / torch.arange(1, len(tp) + 1, dtype=torch.float64)
    recall = cum_tp / num_gt
    if method == "none":
        prev = torch.cat([torch.zeros(1, dtype=torch.float64), recall[:-1]])
        # AP = Σ (R_k − R_{k−1})·P_k
        return round(float(((recall - prev) * precision).sum()), 4)
    # 单调包络 P̃(R_k) = max_{j ≥ k} P_j：从右往左取累积最大值
    envelope = torch.flip(torch.cummax(torch.flip(precision, [0]), dim=0).values, [0])
    if method == "11point":
        # AP = (1/11) Σ_{r ∈ {0, 0.1, …, 1}} max{P_k : R_k ≥ r}
        points = [float(envelope[recall >= r / 10].max()) if bool((recall >= r / 10).any()) else 0.0 for r in range(11)]
        return round(sum(points) / 11, 4)
    prev = torch.cat([torch.zeros(1, dtype=torch.float64), recall[:-1]])
    # AP = Σ (R_k − R_{k−1})·P̃(R_k)
    return round(float(((recall - prev) * envelope).sum()), 4)


def mean_average_precision(
    predictions: Sequence[tuple[torch.Tensor, torch.Tensor, torch.Tensor]],
    targets: Sequence[tuple[torch.Tensor, torch.Tensor]],
    num_classes: int,
    iou_threshold: float = 0.5,
    method: str = "all",
) -> float:
    r"""数据集上的 mAP：每个类别把所有图的预测合在一起算 AP（[`average_precision`][dlguide.detection.average_precision]），再对类别取平均。

    测试集里没有出现的类别不参与平均。``iou_threshold=0.5`` 即 PASCAL VOC 的 mAP@0.5；
    COCO 的 AP 再对 IoU 阈值 $0.50, 0.55, \dots, 0.95$ 取平均。

    Parameters
    ----------
    predictions : sequence of (boxes, scores, labels)
        每张图的预测。
    targets : sequence of (boxes, labels)
        每张图的真实框和类别，与 ``predictions`` 等长。
    num_classes : int
        类别数，在 $[1, 1000]$ 内。
    iou_threshold : float
        判定 TP 的 IoU 阈值，在 $[0, 1]$ 内。
    method : str
        AP 的插值方式，见 [`average_precision`][dlguide.detection.average_precision]。

    Returns
    -------
    float
        $[0, 1]$ 内的 mAP。

    Raises
    ------
    TypeError, ValueError
        输入不合法，或测试集里一个真实框也没有。

    Examples
    --------
    >>> gt = [(torch.tensor([[0.0, 0.0, 4.0, 4.0], [5.0, 5.0, 9.0, 9.0]]), torch.tensor([0, 1]))]
    >>> pred = [(torch.tensor([[0.0, 0.0, 4.0, 4.0], [5.0, 5.0, 9.0, 9.0]]), torch.tensor([0.9, 0.8]), torch.tensor([0, 0]))]
    >>> mean_average_precision(pred, gt, num_classes=2)  # 类 0：AP 1.0；类 1 漏检：AP 0
    0.5
    """
    check_int(num_classes, "num_classes", low=1, high=1000)
    check_in_range(iou_threshold, "iou_threshold", 0.0, 1.0)
    check_choice(method, "method", ("all", "11point", "none"))
    if isinstance(predictions, (str, bytes, torch.Tensor)) or not isinstance(predictions, Sequence):
        raise TypeError(f"predictions 必须是每张图 (boxes, scores, labels) 的序列，收到的是 {type(predictions).__name__}")
    if isinstance(targets, (str, bytes, torch.Tensor)) or not isinstance(targets, Sequence):
        raise TypeError(f"targets 必须是每张图 (boxes, labels) 的序列，收到的是 {type(targets).__name__}")
    if len(predictions) != len(targets):
        raise ValueError(f"predictions 与 targets 的图数必须相同，收到 {len(predictions)} 和 {len(targets)}")
    per_class: dict[int, tuple[list[torch.Tensor], list[torch.Tensor], int]] = {c: ([], [], 0) for c in range(num_classes)}
    for k, (pred, target) in enumerate(zip(predictions, targets)):
        if isinstance(pred, (str, bytes)) or not isinstance(pred, Sequence) or len(pred) != 3:
            raise TypeError(f"predictions[{k}] 必须是 (boxes, scores, labels)，收到的是 {type(pred).__name__}")
        if isinstance(target, (str, bytes)) or not isinstance(target, Sequence) or len(target) != 2:
            raise TypeError(f"targets[{k}] 必须是 (boxes, labels)，收到的是 {type(target).__name__}")
        boxes, scores, labels = pred
        gt_boxes, gt_labels = target
        check_tensor(labels, f"predictions[{k}] 的 labels", kind="int", ndim=1)
        check_tensor(gt_labels, f"targets[{k}] 的 labels", kind="int", ndim=1)
        for c in range(num_classes):
            s, tp = match_detections(boxes[labels == c], scores[labels == c], gt_boxes[gt_labels == c], iou_threshold)
            all_s, all_tp, n_gt = per_class[c]
            per_class[c] = (all_s + [s.cpu()], all_tp + [tp], n_gt + int((gt_labels == c).sum()))
    aps = [
        average_precision(torch.cat(s), torch.cat(tp), n_gt, method)
        for s, tp, n_gt in per_class.values()
        if n_gt > 0
    ]
    if not aps:
        raise ValueError("targets 里没有任何真实框，mAP 没有定义")
    return round(sum(aps) / len(aps), 4)


def _center_size(boxes: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    w, h = boxes[:, 2] - boxes[:, 0], boxes[:, 3] - boxes[:, 1]
    return boxes[:, 0] + w / 2, boxes[:, 1] + h / 2, w, h


def encode_boxes(reference: torch.Tensor, boxes: torch.Tensor) -> torch.Tensor:
    r"""R-CNN 的边框回归目标：目标框 $G$ 相对参考框 $P$（候选区域或锚框）的偏移，形状 ``(n, 4)``。

    $$
    t_x = \frac{G_x - P_x}{P_w},\quad t_y = \frac{G_y - P_y}{P_h},\quad t_w = \log\frac{G_w}{P_w},\quad t_h = \log\frac{G_h}{P_h},
    $$

    $(x, y)$ 是中心，$(w, h)$ 是宽高（Girshick 等 2014 附录 C；Fast/Faster R-CNN 沿用）。
    中心偏移按参考框的大小归一化，所以大框、小框的目标量级相同。
    [`decode_boxes`][dlguide.detection.decode_boxes] 是它的逆运算。

    Parameters
    ----------
    reference, boxes : torch.Tensor
        形状都是 ``(n, 4)``，宽高为正。

    Returns
    -------
    torch.Tensor
        形状 ``(n, 4)``：$(t_x, t_y, t_w, t_h)$。

    Raises
    ------
    TypeError, ValueError
        形状不符，或有宽高不为正的框。

    Examples
    --------
    >>> P = torch.tensor([[0.0, 0.0, 10.0, 20.0]])
    >>> G = torch.tensor([[5.0, 0.0, 15.0, 40.0]])  # 中心右移 5（半个宽度），高度加倍
    >>> [round(v, 4) for v in encode_boxes(P, G)[0].tolist()]
    [0.5, 0.5, 0.0, 0.6931]
    """
    _check_boxes(reference, "reference")
    _check_boxes(boxes, "boxes")
    if len(reference) != len(boxes):
        raise ValueError(f"reference 与 boxes 的框数必须相同，收到 {len(reference)} 和 {len(boxes)}")
    px, py, pw, ph = _center_size(reference)
    gx, gy, gw, gh = _center_size(boxes)
    if not bool(((pw > 0) & (ph > 0) & (gw > 0) & (gh > 0)).all()):
        raise ValueError("reference 与 boxes 里的框宽高都必须为正")
    # t_x = (G_x − P_x)/P_w，t_y = (G_y − P_y)/P_h，t_w = log(G_w/P_w)，t_h = log(G_h/P_h)
    return torch.stack([(gx - px) / pw, (gy - py) / ph, torch.log(gw / pw), torch.log(gh / ph)], dim=1)


def decode_boxes(reference: torch.Tensor, deltas: torch.Tensor) -> torch.Tensor:
    r"""把回归出的偏移 $(t_x, t_y, t_w, t_h)$ 作用到参考框上（[`encode_boxes`][dlguide.detection.encode_boxes] 的逆运算）。

    $$
    \hat G_x = P_x + P_w t_x,\quad \hat G_y = P_y + P_h t_y,\quad \hat G_w = P_w e^{t_w},\quad \hat G_h = P_h e^{t_h} .
    $$

    Parameters
    ----------
    reference : torch.Tensor
        形状 ``(n, 4)``。
    deltas : torch.Tensor
        形状 ``(n, 4)``。

    Returns
    -------
    torch.Tensor
        形状 ``(n, 4)`` 的框 ``(x1, y1, x2, y2)``。

    Raises
    ------
    TypeError, ValueError
        形状不符。

    Examples
    --------
    >>> P = torch.tensor([[0.0, 0.0, 10.0, 20.0]])
    >>> deltas = torch.tensor([[0.5, 0.5, 0.0, math.log(2.0)]])
    >>> [round(v, 4) for v in decode_boxes(P, deltas)[0].tolist()]
    [5.0, 0.0, 15.0, 40.0]
    """
    _check_boxes(reference, "reference")
    check_tensor(deltas, "deltas", ndim=2)
    if deltas.shape != reference.shape:
        raise ValueError(f"deltas 的形状必须与 reference 相同 {tuple(reference.shape)}，收到 {tuple(deltas.shape)}")
    px, py, pw, ph = _center_size(reference)
    # Ĝ_x = P_x + P_w·t_x，Ĝ_w = P_w·exp(t_w)（y、h 同理）
    cx, cy = px + pw * deltas[:, 0], py + ph * deltas[:, 1]
    w, h = pw * torch.exp(deltas[:, 2]), ph * torch.exp(deltas[:, 3])
    return torch.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], dim=1)
