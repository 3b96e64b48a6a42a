"""数据：只用生成的数据和随包附带的数据集（scikit-learn 的 digits），运行时从不下载。

所有函数都接受 ``seed``，同样的参数在任何机器上得到同样的数据（``seed=None`` 表示不重新设种子，
数据取自 PyTorch 的全局随机状态）；张量总是先在 CPU 上生成，
需要时再用 ``.to(device)`` 搬到 [`dlguide.device.get_device`][dlguide.device.get_device] 返回的设备。
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch.utils.data import Dataset

from dlguide._checks import (
    check_bool,
    check_choice,
    check_in_range,
    check_int,
    check_nonnegative,
    check_same_length,
    check_seed,
    check_tensor,
    resolve_seed,
)

__all__ = [
    "AugmentedImages",
    "load_digits",
    "make_moons",
    "make_sine",
    "make_xor",
    "polynomial_features",
    "shift_digits",
    "train_val_split",
    "BOS",
    "DATE_SOURCE_VOCAB",
    "DATE_STYLES",
    "DATE_TARGET_VOCAB",
    "DIGIT_VOCAB",
    "EOS",
    "PAD",
    "decode_tokens",
    "encode_tokens",
    "format_date",
    "make_dates",
    "make_digit_task",
    "teacher_forcing_pairs",
    "make_adding_problem",
    "CANVAS_SPLITS",
    "make_digit_canvases",
    "make_gaussian_mixture",
]









def make_xor(n: int = 200, noise: float = 0.1, seed: int | None = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """异或数据：四个角 (±1, ±1) 附近的点，两坐标同号为类 0、异号为类 1。线性模型分不开它。

    Parameters
    ----------
    n : int
        样本数，在 [4, 10⁷] 内。
    noise : float
        高斯噪声的标准差，在 [0, 1] 内。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    tuple[torch.Tensor, torch.Tensor]
        ``X``：形状 ``(n, 2)`` 的 float32；``y``：形状 ``(n,)`` 的 int64，取值 0/1。

    Raises
    ------
    TypeError, ValueError
        ``n``、``noise`` 或 ``seed`` 越界。

    Examples
    --------
    >>> X, y = make_xor(8, noise=0.0)
    >>> X[:4].tolist(), y[:4].tolist()
    ([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]], [0, 1, 1, 0])
    """
    check_int(n, "n", low=4, high=10_000_000)
    check_in_range(noise, "noise", 0.0, 1.0)
    check_seed(seed)
    g = None if seed is None else torch.Generator().manual_seed(seed)
    corners = torch.tensor([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
    base = corners.repeat((n + 3) // 4, 1)[:n]
    # 类别 = 两个坐标是否异号（XOR）；噪声只加在坐标上，不改类别
    y = (base[:, 0] != base[:, 1]).long()
    X = base + noise * torch.randn(base.shape, generator=g)
    return X, y


def make_moons(n: int = 400, noise: float = 0.2, seed: int | None = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """scikit-learn 的“两个月牙”数据，转成张量。

    Parameters
    ----------
    n : int
        样本数，在 [2, 10⁷] 内。
    noise : float
        噪声标准差，在 [0, 1] 内。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    tuple[torch.Tensor, torch.Tensor]
        ``X`` 形状 ``(n, 2)`` 的 float32，``y`` 形状 ``(n,)`` 的 int64。

    Raises
    ------
    TypeError, ValueError
        ``n``、``noise`` 或 ``seed`` 越界。

    Examples
    --------
    >>> X, y = make_moons(100, seed=0)
    >>> tuple(X.shape), X.dtype, sorted(set(y.tolist()))
    ((100, 2), torch.float32, [0, 1])
    """
    from sklearn.datasets import make_moons as sk_make_moons  # noqa: PLC0415

    check_int(n, "n", low=2, high=10_000_000)
    check_in_range(noise, "noise", 0.0, 1.0)
    check_seed(seed)
    # scikit-learn 的种子只到 2³² − 1；seed=None 时从 PyTorch 的全局随机状态抽一个
    state = int(torch.randint(0, 2**32, (1,))) if seed is None else seed % 2**32
    X, y = sk_make_moons(n_samples=n, noise=noise, random_state=state)
    return torch.tensor(X, dtype=torch.float32), torch.tensor(y, dtype=torch.int64)


def load_digits(standardize: bool = True) -> tuple[torch.Tensor, torch.Tensor]:
    """scikit-learn 随包附带的手写数字（1797 张 8×8 灰度图，10 类），不需要下载。

    Parameters
    ----------
    standardize : bool
        为 ``True`` 时把像素从 [0, 16] 缩放到 [0, 1]。

    Returns
    -------
    tuple[torch.Tensor, torch.Tensor]
        ``X`` 形状 ``(1797, 64)`` 的 float32，``y`` 形状 ``(1797,)`` 的 int64。

    Examples
    --------
    >>> X, y = load_digits()
    >>> tuple(X.shape), round(X.max().item(), 1), len(set(y.tolist()))
    ((1797, 64), 1.0, 10)
    """
    from sklearn.datasets import load_digits as sk_load_digits  # noqa: PLC0415

    check_bool(standardize, "standardize")
    bunch = sk_load_digits()
    X = torch.tensor(bunch.data, dtype=torch.float32)
    if standardize:
        X = X / 16.0
    return X, torch.tensor(bunch.target, dtype=torch.int64)


def train_val_split(
    X: torch.Tensor, y: torch.Tensor, val_fraction: float = 0.2, seed: int | None = 0
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """随机打乱后切成训练集和验证集。

    Parameters
    ----------
    X, y : torch.Tensor
        第 0 维长度相同，至少 2 个样本。
    val_fraction : float
        验证集比例，在 (0, 1) 内；两份都至少要有一个样本。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    tuple
        ``(X_train, y_train, X_val, y_val)``。

    Raises
    ------
    TypeError
        ``X`` 或 ``y`` 不是张量。
    ValueError
        ``X`` 与 ``y`` 的样本数不同或少于 2，或 ``val_fraction`` 越界、使某一份为空。

    Examples
    --------
    >>> X, y = torch.arange(10.0).reshape(10, 1), torch.arange(10)
    >>> Xtr, ytr, Xva, yva = train_val_split(X, y, 0.3)
    >>> len(Xtr), len(Xva), sorted(ytr.tolist() + yva.tolist()) == list(range(10))
    (7, 3, True)
    """
    check_tensor(X, "X", kind="any")
    check_tensor(y, "y", kind="any")
    n = check_same_length(X, y, "X", "y")
    if n < 2:
        raise ValueError(f"X 与 y 至少要有 2 个样本（训练集和验证集各一个），收到 {n}")
    check_in_range(val_fraction, "val_fraction", 0.0, 1.0, low_open=True, high_open=True)
    check_seed(seed)
    n_val = max(1, round(n * val_fraction))
    if n_val >= n:
        raise ValueError(f"val_fraction = {val_fraction} 让 {n} 个样本全部进了验证集，训练集为空")
    g = None if seed is None else torch.Generator().manual_seed(seed)
    order = torch.randperm(len(X), generator=g)
    val, train = order[:n_val], order[n_val:]
    return X[train], y[train], X[val], y[val]


def make_sine(n: int = 20, noise: float = 0.2, seed: int | None = 0) -> tuple[torch.Tensor, torch.Tensor]:
    r"""一维回归数据：$x \sim U(-1, 1)$，$y = \sin(\pi x) + \varepsilon$，$\varepsilon \sim \mathcal N(0, \text{noise}^2)$。float64。

    样本少、噪声大时，高次多项式或宽网络很容易过拟合它，适合演示正则化。

    Parameters
    ----------
    n : int
        样本数，在 [1, 10⁷] 内。
    noise : float
        噪声标准差，在 [0, 1] 内。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    tuple[torch.Tensor, torch.Tensor]
        ``x``、``y``：形状都是 ``(n,)`` 的 float64。

    Raises
    ------
    TypeError, ValueError
        ``n``、``noise`` 或 ``seed`` 越界。

    Examples
    --------
    >>> x, y = make_sine(5, noise=0.0)
    >>> x.dtype, bool((y - torch.sin(torch.pi * x)).abs().max() == 0)
    (torch.float64, True)
    """
    check_int(n, "n", low=1, high=10_000_000)
    check_in_range(noise, "noise", 0.0, 1.0)
    check_seed(seed)
    g = None if seed is None else torch.Generator().manual_seed(seed)
    x = torch.rand(n, generator=g, dtype=torch.float64) * 2 - 1
    # y = sin(πx) + ε
    y = torch.sin(torch.pi * x) + noise * torch.randn(n, generator=g, dtype=torch.float64)
    return x, y


def polynomial_features(x: torch.Tensor, degree: int, *, include_bias: bool = False) -> torch.Tensor:
    r"""一维输入的多项式特征 $[x, x^2, \dots, x^d]$，``include_bias=True`` 时前面加常数列 $1$。

    Parameters
    ----------
    x : torch.Tensor
        任意形状的浮点张量，每个元素是一个输入（例如形状 ``(n,)``）。
    degree : int
        次数 $d$，≥ 1（``include_bias=True`` 时可以是 0）。
    include_bias : bool
        是否包含常数列（截距由回归函数单独处理时不要）。

    Returns
    -------
    torch.Tensor
        形状 ``(*x.shape, degree)``，或 ``(*x.shape, degree + 1)``（含常数列）。

    Raises
    ------
    TypeError
        ``x`` 不是浮点张量，或 ``degree`` 不是整数。
    ValueError
        ``degree`` 越界。

    Examples
    --------
    >>> polynomial_features(torch.tensor([2.0, 3.0]), 3).tolist()
    [[2.0, 4.0, 8.0], [3.0, 9.0, 27.0]]
    >>> polynomial_features(torch.tensor([2.0]), 2, include_bias=True).tolist()
    [[1.0, 2.0, 4.0]]
    """
    check_tensor(x, "x")
    check_bool(include_bias, "include_bias")
    check_int(degree, "degree", low=0 if include_bias else 1, high=100)
    first = 0 if include_bias else 1
    return torch.stack([x**k for k in range(first, degree + 1)], dim=-1)


def shift_digits(X: torch.Tensor, *, pixels: int = 1, noise: float = 0.3, seed: int | None = 0) -> torch.Tensor:
    """造一个“不同分布”的 digits：每张 8×8 图向右下平移 ``pixels`` 像素，再加高斯噪声并截断到 [0, 1]。

    模拟“训练数据来自网上的清晰图片，用户上传的却是偏移、模糊的照片”。

    Parameters
    ----------
    X : torch.Tensor
        形状 ``(n, 64)``、取值 [0, 1] 的 digits（[`dlguide.data.load_digits`][dlguide.data.load_digits] 的输出）。
    pixels : int
        平移的像素数，在 [0, 7] 内。
    noise : float
        噪声标准差，有限且 ≥ 0。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    torch.Tensor
        与 ``X`` 同形状。

    Raises
    ------
    TypeError, ValueError
        ``X`` 不是形状 ``(n, 64)`` 的浮点张量，或其余参数越界。

    Examples
    --------
    >>> import torch
    >>> img = torch.zeros(1, 64); img[0, 0] = 1.0
    >>> shift_digits(img, pixels=1, noise=0.0).reshape(8, 8)[1, 1].item()
    1.0
    """
    check_tensor(X, "X")
    if X.ndim != 2 or X.shape[1] != 64:
        raise ValueError(f"X 的形状必须是 (n, 64)，收到 {tuple(X.shape)}")
    check_int(pixels, "pixels", low=0, high=7)
    check_nonnegative(noise, "noise")
    check_seed(seed)
    g = None if seed is None else torch.Generator().manual_seed(seed)
    imgs = X.reshape(-1, 8, 8)
    shifted = torch.zeros_like(imgs)
    # 平移：新图的 (i + p, j + p) = 原图的 (i, j)，移出边界的像素丢掉
    shifted[:, pixels:, pixels:] = imgs[:, : 8 - pixels, : 8 - pixels]
    noisy = shifted + noise * torch.randn(shifted.shape, generator=g)
    return noisy.clamp(0, 1).reshape(-1, 64)


class AugmentedImages(Dataset):
    """随机 3×32×32 “图像”，``__getitem__`` 里做随机裁剪、翻转和标准化（模拟真实的数据增强开销）。

    Parameters
    ----------
    n : int
        图像张数，在 [1, 100000] 内（每张 4.8 KB）。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Raises
    ------
    TypeError, ValueError
        ``n`` 或 ``seed`` 越界。

    Examples
    --------
    >>> ds = AugmentedImages(10)
    >>> x, y = ds[3]
    >>> tuple(x.shape), x.dtype, 0 <= y < 10
    ((3, 32, 32), torch.float32, True)
    """

    def __init__(self, n: int = 1024, seed: int | None = 0) -> None:
        check_int(n, "n", low=1, high=100_000)
        check_seed(seed)
        g = None if seed is None else torch.Generator().manual_seed(seed)
        self.images = torch.randint(0, 256, (n, 3, 40, 40), generator=g, dtype=torch.uint8)
        self.labels = torch.randint(0, 10, (n,), generator=g)

    def __len__(self) -> int:
        return len(self.images)

    def __getitem__(self, i: int) -> tuple[torch.Tensor, int]:
        g = torch.Generator().manual_seed(i)
        top, left = torch.randint(0, 9, (2,), generator=g).tolist()
        x = self.images[i, :, top : top + 32, left : left + 32].float() / 255
        if torch.rand(1, generator=g).item() < 0.5:
            x = x.flip(-1)
        x = (x - 0.5) / 0.25
        return x, int(self.labels[i])


# ---------------------------------------------------------------------------
# 序列到序列的生成任务（序列模型与注意力一章）
# ---------------------------------------------------------------------------

PAD, BOS, EOS = 0, 1, 2
"""序列任务里的特殊符号：填充、开始、结束。"""
DIGIT_VOCAB: tuple[str, ...] = ("<pad>", "<s>", "</s>", *"0123456789")
"""数字任务的词表：三个特殊符号加 0–9。"""


_CN_DIGITS = "〇一二三四五六七八九"


DATE_SOURCE_VOCAB: tuple[str, ...] = ("<pad>", "<s>", "</s>", *"0123456789", *_CN_DIGITS, "零", "十", "年", "月", "日")
"""中文日期（源端）的词表。"""


DATE_TARGET_VOCAB: tuple[str, ...] = ("<pad>", "<s>", "</s>", *"0123456789", "-")
"""ISO 日期（目标端）的词表。"""


DATE_STYLES = ("chinese", "chinese_ling", "arabic")
"""[`make_dates`][dlguide.data.make_dates] 认识的书写格式。"""


MAX_SEQUENCES = 200_000
"""序列任务的样本数上限（更多在读者的 CPU 上几秒内训练不完）。"""


def encode_tokens(text: str, vocab: tuple[str, ...]) -> list[int]:
    """把字符串逐字符换成词表里的编号。

    Examples
    --------
    >>> encode_tokens("2019", DIGIT_VOCAB)
    [5, 3, 4, 12]
    """
    if not isinstance(text, str):
        raise TypeError(f"text 必须是字符串，收到的是 {type(text).__name__}")
    if not isinstance(vocab, tuple) or not all(isinstance(t, str) for t in vocab):
        raise TypeError(f"vocab 必须是字符串的元组（例如 DIGIT_VOCAB），收到的是 {type(vocab).__name__}")
    index = {token: i for i, token in enumerate(vocab)}
    unknown = sorted({ch for ch in text if ch not in index})
    if unknown:
        raise ValueError(f"text 里有词表之外的字符 {unknown}（vocab 里没有）")
    return [index[ch] for ch in text]


def decode_tokens(ids: torch.Tensor | list[int], vocab: tuple[str, ...]) -> str:
    """把编号换回字符串：跳过填充和开始符，遇到结束符停止。

    Examples
    --------
    >>> decode_tokens([1, 5, 3, 2, 7], DIGIT_VOCAB)
    '20'
    """
    if isinstance(ids, torch.Tensor):
        check_tensor(ids, "ids", kind="int", ndim=1)
        ids = ids.tolist()
    if not isinstance(ids, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in ids):
        raise TypeError(f"ids 必须是整数列表或 1 维整数张量，收到的是 {type(ids).__name__}")
    if not isinstance(vocab, tuple) or not all(isinstance(t, str) for t in vocab):
        raise TypeError(f"vocab 必须是字符串的元组（例如 DIGIT_VOCAB），收到的是 {type(vocab).__name__}")
    out = []
    for i in ids:
        if i == EOS:
            break
        if i not in (PAD, BOS):
            if not 0 <= i < len(vocab):
                raise ValueError(f"ids 里的编号必须在 [0, len(vocab)={len(vocab)}) 内，收到 {i}")
            out.append(vocab[i])
    return "".join(out)


def _pad_rows(rows: list[list[int]], width: int) -> torch.Tensor:
    out = torch.full((len(rows), width), PAD, dtype=torch.long)
    for i, row in enumerate(rows):
        out[i, : len(row)] = torch.tensor(row, dtype=torch.long)
    return out


def make_digit_task(
    task: str = "reverse", n: int = 1000, *, min_len: int = 3, max_len: int = 8, seed: int | None = 0
) -> tuple[torch.Tensor, torch.Tensor]:
    """数字序列任务：输入随机数字串，输出它的逆序（``"reverse"``）、排序（``"sort"``）或原样（``"copy"``）。

    逆序要求输出的第 $t$ 个词“对齐”到输入的倒数第 $t$ 个词，是检验注意力的经典任务；
    排序只需要知道每个数字出现了几次，与位置无关。

    Parameters
    ----------
    task : str
        ``"reverse"``、``"sort"`` 或 ``"copy"``。
    n : int
        样本数，在 ``[1, 200000]`` 内。
    min_len, max_len : int
        长度的范围（均匀抽取），``1 ≤ min_len ≤ max_len ≤ 100``。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    tuple[torch.Tensor, torch.Tensor]
        ``src``：``(n, max_len)``，用 ``PAD`` 补齐；``tgt``：``(n, max_len + 1)``，末尾有 ``EOS``，再用 ``PAD`` 补齐。
        编号见 [`DIGIT_VOCAB`][dlguide.data.DIGIT_VOCAB]（数字 ``d`` 的编号是 ``d + 3``）。

    Raises
    ------
    TypeError, ValueError
        参数不合法。

    Examples
    --------
    >>> src, tgt = make_digit_task("reverse", 3, min_len=3, max_len=6, seed=1)
    >>> [decode_tokens(s, DIGIT_VOCAB) for s in src], [decode_tokens(t, DIGIT_VOCAB) for t in tgt]
    (['8331', '289633', '021'], ['1338', '336982', '120'])
    """
    check_choice(task, "task", ("reverse", "sort", "copy"))
    check_int(n, "n", low=1, high=MAX_SEQUENCES)
    check_int(min_len, "min_len", low=1, high=100)
    check_int(max_len, "max_len", low=min_len, high=100)
    check_seed(seed)
    g = None if seed is None else torch.Generator().manual_seed(seed)
    lengths = torch.randint(min_len, max_len + 1, (n,), generator=g).tolist()
    digits = torch.randint(0, 10, (n, max_len), generator=g).tolist()
    sources, targets = [], []
    for row, length in zip(digits, lengths):
        seq = row[:length]
        out = {"reverse": seq[::-1], "sort": sorted(seq), "copy": seq}[task]
        sources.append([d + 3 for d in seq])
        targets.append([d + 3 for d in out] + [EOS])
    return _pad_rows(sources, max_len), _pad_rows(targets, max_len + 1)


def _chinese_number(n: int) -> str:
    """1–31 写成中文：5 → 五，10 → 十，12 → 十二，25 → 二十五。"""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _CN_DIGITS[ones]
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + ("" if ones == 0 else _CN_DIGITS[ones])


def format_date(date: object, style: str = "chinese") -> str:
    """把 ``datetime.date`` 写成中文日期。

    ``"chinese"``：二〇一九年三月五日（年份逐位读，月日用“十”）；``"chinese_ling"``：年份里的零写成“零”；
    ``"arabic"``：2019年3月5日。

    Examples
    --------
    >>> import datetime
    >>> d = datetime.date(2019, 12, 25)
    >>> [format_date(d, s) for s in DATE_STYLES]
    ['二〇一九年十二月二十五日', '二零一九年十二月二十五日', '2019年12月25日']
    >>> format_date(datetime.date(2008, 10, 1), "chinese_ling")
    '二零零八年十月一日'
    """
    import datetime  # noqa: PLC0415  只有这里用到

    if not isinstance(date, datetime.date):
        raise TypeError(f"date 必须是 datetime.date，收到的是 {type(date).__name__}")
    check_choice(style, "style", DATE_STYLES)
    if style == "arabic":
        return f"{date.year}年{date.month}月{date.day}日"
    year = "".join(_CN_DIGITS[int(ch)] for ch in f"{date.year:04d}")
    if style == "chinese_ling":
        year = year.replace("〇", "零")
    return f"{year}年{_chinese_number(date.month)}月{_chinese_number(date.day)}日"


def make_dates(n: int = 2000, *, seed: int | None = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """日期规范化任务：1950–2049 年间随机的日期，输入是三种中文写法之一，输出是 ISO 格式 ``YYYY-MM-DD``。

    吴恩达《序列模型》第 3 周的编程作业把“3 May 1979”一类英文日期翻译成“1979-05-03”；这里换成中文写法。
    输出的每一位都要从输入里的特定位置取（“二〇一九”→“2019”，“十二”→“12”，“五”→“05”），是一个需要对齐的任务。

    Parameters
    ----------
    n : int
        样本数，在 ``[1, 200000]`` 内。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    tuple[torch.Tensor, torch.Tensor]
        ``src``：``(n, 12)``，[`DATE_SOURCE_VOCAB`][dlguide.data.DATE_SOURCE_VOCAB] 的编号，用 ``PAD`` 补齐；
        ``tgt``：``(n, 11)``，[`DATE_TARGET_VOCAB`][dlguide.data.DATE_TARGET_VOCAB] 的编号，10 个字符加 ``EOS``。

    Examples
    --------
    >>> src, tgt = make_dates(3, seed=6)
    >>> [(decode_tokens(s, DATE_SOURCE_VOCAB), decode_tokens(t, DATE_TARGET_VOCAB)) for s, t in zip(src, tgt)]
    [('1974年3月31日', '1974-03-31'), ('二零零一年十一月五日', '2001-11-05'), ('一九九三年九月三十日', '1993-09-30')]
    """
    import datetime  # noqa: PLC0415  只有这里用到

    check_int(n, "n", low=1, high=MAX_SEQUENCES)
    check_seed(seed)
    g = None if seed is None else torch.Generator().manual_seed(seed)
    first = datetime.date(1950, 1, 1).toordinal()
    last = datetime.date(2049, 12, 31).toordinal()
    days = torch.randint(first, last + 1, (n,), generator=g).tolist()
    styles = torch.randint(0, len(DATE_STYLES), (n,), generator=g).tolist()
    sources, targets = [], []
    for day, style in zip(days, styles):
        date = datetime.date.fromordinal(day)
        sources.append(encode_tokens(format_date(date, DATE_STYLES[style]), DATE_SOURCE_VOCAB))
        targets.append(encode_tokens(date.isoformat(), DATE_TARGET_VOCAB) + [EOS])
    return _pad_rows(sources, 12), _pad_rows(targets, 11)


def teacher_forcing_pairs(src: torch.Tensor, tgt: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    r"""为教师强制准备训练数据：解码器的输入是右移一位的目标 ``<s> y₁ … y_{T-1}``，要预测的是 ``y₁ … y_T``。

    [`fit`][dlguide.training.fit] 只把一个张量 ``X`` 交给模型，所以把源序列和解码器输入叠成 ``(n, 2, L)`` 的“对”：
    ``pair[:, 0]`` 是源序列，``pair[:, 1]`` 是解码器输入，两者都用 ``PAD`` 补到同一长度 $L$；
    目标也补到 $L$，补出来的位置是 ``PAD``，损失里用 ``ignore_index=PAD`` 忽略。

    Parameters
    ----------
    src : torch.Tensor
        ``(n, S)`` 整数张量。
    tgt : torch.Tensor
        ``(n, T)`` 整数张量，以 ``EOS`` 结束、``PAD`` 补齐。

    Returns
    -------
    tuple[torch.Tensor, torch.Tensor]
        ``pair``：``(n, 2, L)``；``target``：``(n, L)``，$L=\max(S, T)$。

    Examples
    --------
    >>> pair, target = teacher_forcing_pairs(torch.tensor([[4, 5, 6]]), torch.tensor([[9, 8, 2]]))
    >>> pair.tolist(), target.tolist()
    ([[[4, 5, 6], [1, 9, 8]]], [[9, 8, 2]])
    """
    check_tensor(src, "src", kind="int", ndim=2, nonempty=True)
    check_tensor(tgt, "tgt", kind="int", ndim=2, nonempty=True)
    check_same_length(src, tgt, "src", "tgt")
    length = max(src.shape[1], tgt.shape[1])
    # 解码器输入 = <s> 加上去掉最后一个词的目标（右移一位）
    decoder_input = torch.cat([torch.full((len(tgt), 1), BOS, dtype=torch.long), tgt[:, :-1].long()], dim=1)

    def pad(x: torch.Tensor) -> torch.Tensor:
        return torch.nn.functional.pad(x.long(), (0, length - x.shape[1]), value=PAD)

    return torch.stack([pad(src), pad(decoder_input)], dim=1), pad(tgt)


def make_adding_problem(
    n: int = 512, length: int = 20, *, markers: int = 2, seed: int | None = 0
) -> tuple[torch.Tensor, torch.Tensor]:
    r"""长程依赖的标准测试：加法问题（Hochreiter、Schmidhuber 1997），以及它的单标记版本“标记回忆”。

    每条序列长 ``length``，每一步输入两个数：一个值 $v_t\sim U(-1, 1)$（与原论文相同），一个标记 $m_t\in\{0, 1\}$。
    ``markers=2`` 时前半段、后半段各有一个标记，目标是两个被标记的值之和（加法问题）；
    ``markers=1`` 时只在前半段有一个标记，目标就是那个值，模型要把它记住至少 ``length // 2`` 步。
    只会输出常数的模型最好也只能做到 MSE $=$ ``markers``$/3$（$U(-1,1)$ 的方差是 $1/3$）。
    （原论文的目标是 $0.5 + (v_a + v_b)/4$，后来的文献多直接用和；这里用和。）

    Parameters
    ----------
    n : int
        序列条数，在 [1, 1000000] 内。
    length : int
        序列长度 $T$，在 [2, 10000] 内。
    markers : int
        标记个数：1（标记回忆）或 2（加法问题）。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    tuple[torch.Tensor, torch.Tensor]
        ``X``：形状 ``(n, length, 2)``（``batch_first`` 布局），``X[..., 0]`` 是值、``X[..., 1]`` 是标记；
        ``y``：形状 ``(n, 1)``，被标记的值之和。都是 float32。

    Raises
    ------
    TypeError, ValueError
        参数不是整数或越界。

    Examples
    --------
    >>> X, y = make_adding_problem(3, 10, seed=0)
    >>> tuple(X.shape), tuple(y.shape), X[..., 1].sum(dim=1).tolist()
    ((3, 10, 2), (3, 1), [2.0, 2.0, 2.0])
    >>> bool(torch.allclose((X[..., 0] * X[..., 1]).sum(dim=1, keepdim=True), y))
    True
    >>> X, y = make_adding_problem(1000, 40, markers=1)
    >>> int(X[..., 1].argmax(dim=1).max()) < 20, round(y.var().item(), 1)   # 标记在前半段；方差约 1/3
    (True, 0.3)
    """
    check_int(n, "n", low=1, high=1_000_000)
    check_int(length, "length", low=2, high=10_000)
    check_int(markers, "markers", low=1, high=2)
    check_seed(seed)
    g = None if seed is None else torch.Generator().manual_seed(seed)
    values = torch.rand(n, length, generator=g) * 2 - 1  # (n, T)，v_t ~ U(−1, 1)
    marks = torch.zeros(n, length)
    rows = torch.arange(n)
    half = length // 2
    # 第一个标记在前半段 [0, T/2)，第二个（如果有）在后半段 [T/2, T)
    marks[rows, torch.randint(0, half, (n,), generator=g)] = 1.0
    if markers == 2:
        marks[rows, torch.randint(half, length, (n,), generator=g)] = 1.0
    # y = Σ_t v_t · m_t
    y = (values * marks).sum(dim=1, keepdim=True)
    return torch.stack([values, marks], dim=-1), y


CANVAS_SPLITS = ("train", "test")
"""[`make_digit_canvases`][dlguide.data.make_digit_canvases] 的 ``split``：digits 里下标 ``i % 5 != 0`` 的图用于训练，``i % 5 == 0`` 的用于测试。"""


def make_digit_canvases(
    n: int,
    *,
    size: int = 32,
    max_digits: int = 3,
    digit_sizes: tuple[int, int] = (8, 14),
    min_center_distance: int = 8,
    split: str = "train",
    classes: tuple[int, ...] = tuple(range(10)),
    seed: int | None = 0,
) -> tuple[torch.Tensor, list[torch.Tensor], list[torch.Tensor]]:
    """目标检测的玩具数据：在黑色画布上随机放 1～``max_digits`` 个缩放过的 digits 手写数字，给出每个数字的框和类别。

    每个数字从 8×8 双线性缩放到 ``digit_sizes`` 范围内的随机边长，放在不与其他数字重叠的位置；
    框是**墨迹的紧包围盒**（像素值 > 0.3 的行列），不是粘贴的方块。任意两个框中心的切比雪夫距离
    ≥ ``min_center_distance``，所以格子边长不超过它的 YOLO 网格里每个格子至多一个物体。
    ``split`` 把 digits 的 1797 张图按下标分成不相交的两份，测试画布里的数字一张也没在训练画布里出现过。

    Parameters
    ----------
    n : int
        画布数，在 [1, 20000] 内。
    size : int
        画布边长（像素），在 [16, 128] 内。
    max_digits : int
        每张画布最多几个数字，在 [1, 10] 内。
    digit_sizes : tuple[int, int]
        数字边长的最小值和最大值（含），8 ≤ 最小值 ≤ 最大值 ≤ ``size``。
    min_center_distance : int
        框中心之间的最小切比雪夫距离（像素），在 [0, size] 内。
    split : str
        ``"train"`` 或 ``"test"``。
    classes : tuple[int, ...]
        只用这些数字（0～9 中互不相同的几个）；标签是数字在 ``classes`` 里的位置，例如
        ``classes=(0, 1, 7)`` 时数字 7 的标签是 2。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    tuple
        ``images``：形状 ``(n, 1, size, size)`` 的 float32，取值 [0, 1]；
        ``boxes``：每张画布一个 ``(k, 4)`` 的 float32 张量 ``(x1, y1, x2, y2)``；
        ``labels``：每张画布一个 ``(k,)`` 的 int64 张量（数字 0～9）。

    Raises
    ------
    TypeError, ValueError
        参数越界。

    Examples
    --------
    >>> images, boxes, labels = make_digit_canvases(4, seed=0)
    >>> tuple(images.shape), [len(b) for b in boxes], labels[0].tolist()
    ((4, 1, 32, 32), [3, 1, 3, 1], [0, 5, 0])
    >>> boxes[0][0].tolist()  # 第一个数字（0）的墨迹框：宽 6、高 8
    [14.0, 10.0, 20.0, 18.0]
    """
    check_int(n, "n", low=1, high=20_000)
    check_int(size, "size", low=16, high=128)
    check_int(max_digits, "max_digits", low=1, high=10)
    if not isinstance(digit_sizes, tuple) or len(digit_sizes) != 2:
        raise TypeError(f"digit_sizes 必须是两个整数 (最小边长, 最大边长)，收到 {digit_sizes!r}")
    low = check_int(digit_sizes[0], "digit_sizes[0]", low=8, high=size)
    high = check_int(digit_sizes[1], "digit_sizes[1]", low=low, high=size)
    check_int(min_center_distance, "min_center_distance", low=0, high=size)
    check_choice(split, "split", CANVAS_SPLITS)
    if not isinstance(classes, tuple) or not classes or len(set(classes)) != len(classes):
        raise TypeError(f"classes 必须是 0～9 中互不相同的整数组成的非空元组，收到 {classes!r}")
    for c in classes:
        check_int(c, "classes 的元素", low=0, high=9)
    seed = resolve_seed(seed)
    X, y = load_digits()
    keep = (torch.arange(len(X)) % 5 == 0) if split == "test" else (torch.arange(len(X)) % 5 != 0)
    keep &= torch.isin(y, torch.tensor(classes))
    # 标签改成数字在 classes 里的位置
    relabel = torch.full((10,), -1, dtype=torch.int64)
    relabel[list(classes)] = torch.arange(len(classes))
    X, y = X[keep].reshape(-1, 1, 8, 8), relabel[y[keep]]
    # 每种边长预先缩放一次：(图数, s, s)
    scaled = {s: F.interpolate(X, size=(s, s), mode="bilinear", align_corners=False)[:, 0] for s in range(low, high + 1)}
    g = torch.Generator().manual_seed(seed)
    images = torch.zeros(n, 1, size, size)
    all_boxes, all_labels = [], []
    for i in range(n):
        squares: list[tuple[int, int, int]] = []
        boxes: list[list[float]] = []
        labels: list[int] = []
        for _ in range(int(torch.randint(1, max_digits + 1, (1,), generator=g))):
            k = int(torch.randint(len(X), (1,), generator=g))
            s = int(torch.randint(low, high + 1, (1,), generator=g))
            patch = scaled[s][k]
            rows = (patch > 0.3).any(dim=1).nonzero().flatten()
            cols = (patch > 0.3).any(dim=0).nonzero().flatten()
            # 一次抽 50 个候选位置，取第一个合格的
            for top, left in torch.randint(0, size - s + 1, (50, 2), generator=g).tolist():
                box = [left + int(cols[0]), top + int(rows[0]), left + int(cols[-1]) + 1, top + int(rows[-1]) + 1]
                centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
                apart = all(left >= l2 + s2 or l2 >= left + s or top >= t2 + s2 or t2 >= top + s for t2, l2, s2 in squares)
                far = all(
                    max(abs(centre[0] - (b[0] + b[2]) / 2), abs(centre[1] - (b[1] + b[3]) / 2)) >= min_center_distance
                    for b in boxes
                )
                if apart and far:
                    squares.append((top, left, s))
                    boxes.append([float(v) for v in box])
                    labels.append(int(y[k]))
                    images[i, 0, top : top + s, left : left + s] = torch.maximum(images[i, 0, top : top + s, left : left + s], patch)
                    break
        all_boxes.append(torch.tensor(boxes, dtype=torch.float32).reshape(-1, 4))
        all_labels.append(torch.tensor(labels, dtype=torch.int64))
    return images, all_boxes, all_labels


def make_gaussian_mixture(
    n: int, *, modes: int = 8, radius: float = 2.0, std: float = 0.05, seed: int | None = 0
) -> tuple[torch.Tensor, torch.Tensor]:
    r"""二维高斯混合：``modes`` 个等权重的高斯分布，中心均匀排在半径 ``radius`` 的圆上（GAN 的经典玩具数据）。

    第 $k$ 个中心是 $r(\cos\frac{2\pi k}{m}, \sin\frac{2\pi k}{m})$，每个分量的协方差是 $\sigma^2 I$。

    Parameters
    ----------
    n : int
        样本数，在 [1, 1000000] 内。
    modes : int
        分量个数 $m$，在 [1, 100] 内。
    radius : float
        圆的半径 $r$，> 0。
    std : float
        每个分量的标准差 $\sigma$，> 0。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    tuple[torch.Tensor, torch.Tensor]
        ``X`` 形状 ``(n, 2)`` 的 float32；``y`` 形状 ``(n,)`` 的 int64：样本来自哪个分量。

    Raises
    ------
    TypeError, ValueError
        参数越界。

    Examples
    --------
    >>> X, y = make_gaussian_mixture(8000, modes=4, radius=1.0, std=0.01)
    >>> centre = X[y == 1].mean(dim=0)  # 第 1 个中心在 (cos 90°, sin 90°) = (0, 1)
    >>> bool((centre - torch.tensor([0.0, 1.0])).abs().max() < 0.01)
    True
    """
    check_int(n, "n", low=1, high=1_000_000)
    check_int(modes, "modes", low=1, high=100)
    check_in_range(radius, "radius", 0.0, float("inf"), low_open=True, high_open=True)
    check_in_range(std, "std", 0.0, float("inf"), low_open=True, high_open=True)
    seed = resolve_seed(seed)
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, modes, (n,), generator=g)
    angle = 2 * torch.pi * y.float() / modes
    # x = r·(cos 2πk/m, sin 2πk/m) + σ·ε，ε ~ N(0, I)
    centres = radius * torch.stack([torch.cos(angle), torch.sin(angle)], dim=1)
    return centres + std * torch.randn(n, 2, generator=g), y
