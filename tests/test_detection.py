"""dlguide.detection：与按定义写的暴力实现、F.adaptive_max_pool2d、F.grid_sample、scikit-learn 对照。

环境里没有 torchvision，所以 IoU/NMS 的参照是逐个元素的暴力实现；RoI 池化在框落在整数像素上时
恰好等于对裁出来的区域做 ``adaptive_max_pool2d``，RoIAlign 的双线性插值等于 ``grid_sample(align_corners=True)``。
"""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from sklearn.metrics import average_precision_score

from dlguide.detection import (
    average_precision,
    batched_nms,
    box_area,
    box_iou,
    decode_boxes,
    encode_boxes,
    make_anchors,
    match_detections,
    mean_average_precision,
    nms,
    roi_align,
    roi_pool,
    yolo_decode,
    yolo_encode,
    yolo_loss,
)


def _random_boxes(n: int, seed: int, size: float = 50.0) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    xy = torch.rand(n, 2, generator=g, dtype=torch.float64) * size
    wh = torch.rand(n, 2, generator=g, dtype=torch.float64) * size / 2 + 0.5
    return torch.cat([xy, xy + wh], dim=1)


def _iou_scalar(a: list[float], b: list[float]) -> float:
    iw = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    ih = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = iw * ih
    return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter)


def _nms_brute(boxes: list[list[float]], scores: list[float], thr: float) -> list[int]:
    """定义：反复取剩下的最高分框，删掉与它 IoU > thr 的框。"""
    remaining = sorted(range(len(boxes)), key=lambda i: (-scores[i], i))
    keep = []
    while remaining:
        best = remaining.pop(0)
        keep.append(best)
        remaining = [i for i in remaining if _iou_scalar(boxes[best], boxes[i]) <= thr]
    return keep


def test_box_iou_matches_scalar_definition() -> None:
    a, b = _random_boxes(30, 0), _random_boxes(20, 1)
    ours = box_iou(a, b)
    ref = torch.tensor([[_iou_scalar(x, y) for y in b.tolist()] for x in a.tolist()], dtype=torch.float64)
    torch.testing.assert_close(ours, ref)
    assert bool((ours >= 0).all()) and bool((ours <= 1).all())
    torch.testing.assert_close(box_iou(a, a).diagonal(), torch.ones(30, dtype=torch.float64))
    assert box_area(a).shape == (30,)


@pytest.mark.parametrize("thr", [0.0, 0.3, 0.5, 0.7, 1.0])
@pytest.mark.parametrize("seed", range(4))
def test_nms_matches_brute_force(thr: float, seed: int) -> None:
    boxes = _random_boxes(60, seed, size=30.0)
    scores = torch.rand(60, generator=torch.Generator().manual_seed(100 + seed), dtype=torch.float64)
    assert nms(boxes, scores, thr).tolist() == _nms_brute(boxes.tolist(), scores.tolist(), thr)


def test_nms_ties_keep_first_and_empty_input() -> None:
    boxes = torch.tensor([[0.0, 0.0, 1.0, 1.0], [0.0, 0.0, 1.0, 1.0]])
    assert nms(boxes, torch.tensor([0.5, 0.5]), 0.5).tolist() == [0]
    assert nms(torch.zeros(0, 4), torch.zeros(0), 0.5).tolist() == []
    assert batched_nms(torch.zeros(0, 4), torch.zeros(0), torch.zeros(0, dtype=torch.int64), 0.5).tolist() == []


def test_batched_nms_equals_per_class_nms() -> None:
    boxes = _random_boxes(80, 7, size=20.0)
    g = torch.Generator().manual_seed(8)
    scores = torch.rand(80, generator=g, dtype=torch.float64)
    classes = torch.randint(0, 4, (80,), generator=g)
    ref = []
    for c in range(4):
        idx = (classes == c).nonzero().flatten()
        ref += idx[nms(boxes[idx], scores[idx], 0.4)].tolist()
    ref.sort(key=lambda i: -scores[i].item())
    assert batched_nms(boxes, scores, classes, 0.4).tolist() == ref


def test_anchor_centres_are_cell_centres() -> None:
    anchors = make_anchors(4, 32.0, torch.tensor([[6.0, 10.0]]))
    centre = (anchors[..., :2] + anchors[..., 2:]) / 2
    assert centre[2, 1, 0].tolist() == [12.0, 20.0]
    assert (anchors[..., 2:] - anchors[..., :2]).reshape(-1, 2).unique(dim=0).tolist() == [[6.0, 10.0]]


def test_yolo_round_trip_on_random_scenes() -> None:
    anchors = torch.tensor([[6.0, 6.0], [4.0, 10.0], [12.0, 12.0]], dtype=torch.float64)
    g = torch.Generator().manual_seed(3)
    for _ in range(50):
        # 每个格子至多一个中心：在不同的格子里随机放中心
        cells = torch.randperm(16, generator=g)[: int(torch.randint(1, 6, (1,), generator=g))]
        centre = torch.stack([cells % 4, cells // 4], dim=1).double() * 8 + torch.rand(len(cells), 2, generator=g, dtype=torch.float64) * 8
        wh = torch.rand(len(cells), 2, generator=g, dtype=torch.float64) * 6 + 2
        boxes = torch.cat([centre - wh / 2, centre + wh / 2], dim=1).clamp(0, 32)
        labels = torch.randint(0, 5, (len(cells),), generator=g)
        target = yolo_encode(boxes, labels, grid_size=4, image_size=32.0, anchor_sizes=anchors, num_classes=5)
        assert int(target[..., 0].sum()) == len(boxes)
        assert bool((target[..., 1:3] >= 0).all()) and bool((target[..., 1:3] <= 1).all())
        out_boxes, scores, out_labels = yolo_decode(target, image_size=32.0, anchor_sizes=anchors)
        # 解码按格子的行、列顺序：按同样的顺序排真实框再比较
        order = sorted(range(len(boxes)), key=lambda k: (int(((boxes[k, 1] + boxes[k, 3]) / 2) // 8), int(((boxes[k, 0] + boxes[k, 2]) / 2) // 8)))
        torch.testing.assert_close(out_boxes, boxes[order])
        assert out_labels.tolist() == labels[order].tolist() and scores.tolist() == [1.0] * len(boxes)


def test_yolo_decode_from_logits_applies_sigmoid_and_softmax() -> None:
    anchors = torch.tensor([[4.0, 4.0]])
    out = torch.zeros(2, 2, 1, 7)
    out[0, 1, 0] = torch.tensor([10.0, 0.0, 0.0, math.log(2.0), 0.0, 5.0, 0.0])
    boxes, scores, labels = yolo_decode(out, image_size=16.0, anchor_sizes=anchors, from_logits=True, score_threshold=0.9)
    assert [round(v, 4) for v in boxes[0].tolist()] == [8.0, 2.0, 16.0, 6.0]
    assert labels.tolist() == [0] and 0.99 < scores.item() < 1.0


def test_yolo_encode_rejects_collisions_and_bad_boxes() -> None:
    anchors = torch.tensor([[4.0, 4.0]])
    two = torch.tensor([[0.0, 0.0, 4.0, 4.0], [1.0, 1.0, 5.0, 5.0]])
    with pytest.raises(ValueError, match="同一个格子"):
        yolo_encode(two, torch.tensor([0, 1]), grid_size=2, image_size=16.0, anchor_sizes=anchors, num_classes=2)
    with pytest.raises(ValueError, match="boxes 必须是"):
        yolo_encode(torch.tensor([[0.0, 0.0, 20.0, 4.0]]), torch.tensor([0]), grid_size=2, image_size=16.0, anchor_sizes=anchors, num_classes=2)
    with pytest.raises(ValueError, match="labels 必须在"):
        yolo_encode(two[:1], torch.tensor([2]), grid_size=2, image_size=16.0, anchor_sizes=anchors, num_classes=2)
    with pytest.raises(ValueError, match="anchor_sizes"):
        yolo_encode(two[:1], torch.tensor([0]), grid_size=2, image_size=16.0, anchor_sizes=torch.tensor([[0.0, 1.0]]), num_classes=2)


def test_yolo_loss_gradient_and_shape_checks() -> None:
    anchors = torch.tensor([[4.0, 4.0]])
    t = yolo_encode(torch.tensor([[2.0, 2.0, 6.0, 6.0]]), torch.tensor([1]), grid_size=2, image_size=16.0,
                    anchor_sizes=anchors, num_classes=3)[None]
    out = torch.zeros_like(t, requires_grad=True)
    loss = yolo_loss(out, t)
    loss.backward()
    assert loss.item() > 0 and out.grad[0, 0, 0, 0, 0] < 0  # 有物体处的 objectness logit 要往上推
    assert out.grad[0, 1, 1, 0, 1:].abs().sum() == 0  # 没物体处只学 objectness
    empty = torch.zeros_like(t)
    assert yolo_loss(torch.full_like(t, -30.0), empty).item() < 1e-10
    with pytest.raises(ValueError, match="形状必须相同"):
        yolo_loss(out, t[..., :6])
    with pytest.raises(ValueError, match="lambda_noobj"):
        yolo_loss(out, t, lambda_noobj=-1.0)


@pytest.mark.parametrize("output_size", [1, 2, 3, (2, 5)])
def test_roi_pool_equals_adaptive_max_pool_on_integer_boxes(output_size: int | tuple[int, int]) -> None:
    g = torch.Generator().manual_seed(0)
    features = torch.randn(2, 3, 12, 14, generator=g)
    rois = torch.tensor([[0, 0, 0, 13, 11], [1, 2, 3, 9, 7], [0, 5, 5, 5, 5], [1, 1, 0, 12, 4]], dtype=torch.float32)
    ours = roi_pool(features, rois, output_size)
    for k, (b, x1, y1, x2, y2) in enumerate(rois.int().tolist()):
        ref = F.adaptive_max_pool2d(features[b, :, y1 : y2 + 1, x1 : x2 + 1], output_size)
        torch.testing.assert_close(ours[k], ref)


def test_roi_pool_quantizes_with_spatial_scale() -> None:
    features = torch.randn(1, 2, 8, 8, generator=torch.Generator().manual_seed(1))
    # 输入图上的 (5, 7)–(21, 27) 乘 1/4：(1.25, 1.75)–(5.25, 6.75)，四舍五入到 (1, 2)–(5, 7)
    ours = roi_pool(features, torch.tensor([[0.0, 5.0, 7.0, 21.0, 27.0]]), 2, spatial_scale=0.25)
    torch.testing.assert_close(ours[0], F.adaptive_max_pool2d(features[0, :, 2:8, 1:6], 2))


def _roi_align_grid_sample(features: torch.Tensor, roi: list[float], out: int, ratio: int, aligned: bool) -> torch.Tensor:
    """参照：采样点与 torchvision 相同，双线性插值交给 grid_sample（align_corners=True 时像素 i 的中心在 i）。"""
    b, x1, y1, x2, y2 = roi
    off = 0.5 if aligned else 0.0
    x1, y1, x2, y2 = x1 - off, y1 - off, x2 - off, y2 - off
    w, h = x2 - x1, y2 - y1
    if not aligned:
        w, h = max(w, 1.0), max(h, 1.0)
    H, W = features.shape[-2:]
    ys = torch.tensor([y1 + p * h / out + (u + 0.5) * h / out / ratio for p in range(out) for u in range(ratio)], dtype=torch.float64)
    xs = torch.tensor([x1 + q * w / out + (v + 0.5) * w / out / ratio for q in range(out) for v in range(ratio)], dtype=torch.float64)
    gy, gx = torch.meshgrid(ys, xs, indexing="ij")
    grid = torch.stack([2 * gx / (W - 1) - 1, 2 * gy / (H - 1) - 1], dim=-1)[None].to(features.dtype)
    samples = F.grid_sample(features[int(b)][None], grid, mode="bilinear", padding_mode="border", align_corners=True)[0]
    return samples.reshape(-1, out, ratio, out, ratio).mean(dim=(2, 4))


@pytest.mark.parametrize("aligned", [False, True])
@pytest.mark.parametrize("ratio", [1, 2, 3])
def test_roi_align_equals_grid_sample(aligned: bool, ratio: int) -> None:
    features = torch.randn(2, 3, 10, 12, generator=torch.Generator().manual_seed(2), dtype=torch.float64)
    rois = [[0, 0.3, 0.7, 9.1, 8.2], [1, 2.5, 1.25, 6.0, 4.5], [0, -0.5, -0.5, 11.5, 9.5], [1, 4.0, 4.0, 4.2, 4.1]]
    ours = roi_align(features, torch.tensor(rois, dtype=torch.float64), 3, sampling_ratio=ratio, aligned=aligned)
    for k, roi in enumerate(rois):
        torch.testing.assert_close(ours[k], _roi_align_grid_sample(features, roi, 3, ratio, aligned))


def test_roi_align_adaptive_sampling_and_outside_points() -> None:
    features = torch.ones(1, 1, 4, 4)
    # 自适应：6×6 的框、2×2 输出，每块 ⌈6/2⌉ = 3×3 个点。第 1 块的点在 3.5、4.5、5.5：
    # 3.5 截到最后一个像素，4.5 和 5.5 超出图（> 4）取 0，所以每个方向只有 1/3 的点有值
    out = roi_align(features, torch.tensor([[0.0, 0.0, 0.0, 6.0, 6.0]]), 2)
    assert [[round(v, 4) for v in row] for row in out[0, 0].tolist()] == [[1.0, 0.3333], [0.3333, 0.1111]]


def test_match_and_ap_against_sklearn() -> None:
    g = torch.Generator().manual_seed(5)
    for _ in range(20):
        n = 40
        scores = torch.rand(n, generator=g, dtype=torch.float64)  # 各不相同：scikit-learn 对并列分数另有处理
        is_tp = torch.rand(n, generator=g) < 0.4
        n_tp = int(is_tp.sum())
        if n_tp == 0:
            continue
        num_gt = n_tp + int(torch.randint(0, 10, (1,), generator=g))
        ours = average_precision(scores, is_tp, num_gt, method="none")
        ref = average_precision_score(is_tp.numpy(), scores.numpy()) * n_tp / num_gt
        assert ours == pytest.approx(ref, abs=1e-4)


def _envelope_ap_by_definition(scores: torch.Tensor, is_tp: torch.Tensor, num_gt: int, points: list[float]) -> float:
    order = sorted(range(len(scores)), key=lambda i: -scores[i].item())
    pr = []
    tp = 0
    for k, i in enumerate(order, start=1):
        tp += bool(is_tp[i])
        pr.append((tp / num_gt, tp / k))
    return sum(max([p for r, p in pr if r >= t], default=0.0) for t in points) / len(points)


def test_interpolated_ap_matches_definition() -> None:
    g = torch.Generator().manual_seed(6)
    for _ in range(10):
        scores = torch.rand(30, generator=g, dtype=torch.float64)
        is_tp = torch.rand(30, generator=g) < 0.5
        num_gt = int(is_tp.sum()) + 3
        eleven = _envelope_ap_by_definition(scores, is_tp, num_gt, [r / 10 for r in range(11)])
        assert average_precision(scores, is_tp, num_gt, "11point") == pytest.approx(eleven, abs=1e-4)
        # “all”：包络曲线下的面积 = ∫₀¹ P̃(r) dr，用很密的黎曼和逼近
        dense = _envelope_ap_by_definition(scores, is_tp, num_gt, [(i + 0.5) / 20000 for i in range(20000)])
        assert average_precision(scores, is_tp, num_gt, "all") == pytest.approx(dense, abs=2e-4)


def test_map_of_perfect_and_shifted_predictions() -> None:
    boxes = _random_boxes(6, 9, size=40.0).float()
    labels = torch.tensor([0, 1, 2, 0, 1, 2])
    targets = [(boxes[:3], labels[:3]), (boxes[3:], labels[3:])]
    perfect = [(boxes[:3], torch.ones(3), labels[:3]), (boxes[3:], torch.ones(3), labels[3:])]
    assert mean_average_precision(perfect, targets, 3) == 1.0
    shifted = [(b + 1000, s, lab) for b, s, lab in perfect]
    assert mean_average_precision(shifted, targets, 3) == 0.0
    s, tp = match_detections(torch.zeros(0, 4), torch.zeros(0), boxes)
    assert s.tolist() == [] and tp.tolist() == []


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: box_iou(torch.zeros(2, 3), torch.zeros(1, 4)), ValueError, "boxes1 的形状必须是"),
        (lambda: box_iou([[0, 0, 1, 1]], torch.zeros(1, 4)), TypeError, "boxes1 必须是 torch.Tensor"),
        (lambda: nms(torch.zeros(2, 4), torch.zeros(3), 0.5), ValueError, "scores 的长度"),
        (lambda: nms(torch.zeros(2, 4), torch.zeros(2), 1.5), ValueError, "iou_threshold 必须在"),
        (lambda: nms(torch.zeros(2, 4), torch.zeros(2), float("nan")), ValueError, "iou_threshold"),
        (lambda: batched_nms(torch.zeros(2, 4), torch.zeros(2), torch.zeros(2), 0.5), TypeError, "classes 必须是整数张量"),
        (lambda: make_anchors(10**9, 32.0, torch.ones(1, 2)), ValueError, "grid_size 必须在"),
        (lambda: make_anchors(4, -1.0, torch.ones(1, 2)), ValueError, "image_size"),
        (lambda: yolo_decode(torch.zeros(2, 2, 1, 7), image_size=16.0, anchor_sizes=torch.ones(2, 2)), ValueError, "output 的形状"),
        (lambda: yolo_decode(torch.zeros(2, 2, 1, 7), image_size=16.0, anchor_sizes=torch.ones(1, 2), from_logits="yes"), TypeError, "from_logits"),
        (lambda: roi_pool(torch.zeros(1, 1, 4, 4), torch.zeros(1, 4), 2), ValueError, "rois 的形状"),
        (lambda: roi_pool(torch.zeros(1, 1, 4, 4), torch.tensor([[1.0, 0, 0, 1, 1]]), 2), ValueError, "批内下标"),
        (lambda: roi_pool(torch.zeros(1, 1, 4, 4), torch.zeros(1, 5), 0), ValueError, "output_size"),
        (lambda: roi_pool(torch.zeros(1, 1, 4, 4), torch.zeros(1, 5), "2"), TypeError, "output_size"),
        (lambda: roi_align(torch.zeros(1, 1, 4, 4), torch.zeros(1, 5), 2, sampling_ratio=10**9), ValueError, "sampling_ratio"),
        (lambda: roi_align(torch.zeros(1, 1, 4, 4), torch.zeros(1, 5), 2, spatial_scale=0.0), ValueError, "spatial_scale"),
        (lambda: average_precision(torch.zeros(2), torch.tensor([True, True]), 1), ValueError, "num_gt 不能小于"),
        (lambda: average_precision(torch.zeros(2), torch.tensor([1, 0]), 1), TypeError, "is_tp 必须是 bool"),
        (lambda: average_precision(torch.zeros(1), torch.tensor([True]), 1, "voc"), ValueError, "method 必须是"),
        (lambda: mean_average_precision([], [], 2), ValueError, "没有任何真实框"),
        (lambda: mean_average_precision(None, [], 2), TypeError, "predictions"),
        (lambda: mean_average_precision([1], [2], 2), TypeError, "predictions\\[0\\]"),
    ],
)
def test_bad_input_is_rejected(call, error, message) -> None:
    with pytest.raises(error, match=message):
        call()


def test_box_coder_round_trip_and_scale_invariance() -> None:
    ref, target = _random_boxes(40, 11), _random_boxes(40, 12)
    deltas = encode_boxes(ref, target)
    torch.testing.assert_close(decode_boxes(ref, deltas), target)
    # 把整个场景放大 3 倍，回归目标不变
    torch.testing.assert_close(encode_boxes(3 * ref, 3 * target), deltas)
    with pytest.raises(ValueError, match="宽高都必须为正"):
        encode_boxes(torch.tensor([[0.0, 0.0, 0.0, 1.0]]), torch.tensor([[0.0, 0.0, 1.0, 1.0]]))
    with pytest.raises(ValueError, match="deltas 的形状"):
        decode_boxes(ref, deltas[:3])


def test_roi_align_refuses_absurd_sampling_grids() -> None:
    with pytest.raises(ValueError, match="太大"):
        roi_align(torch.zeros(1, 1, 4, 4), torch.tensor([[0.0, 0.0, 0.0, 3.0, 3.0]]), 2, spatial_scale=1e9)
