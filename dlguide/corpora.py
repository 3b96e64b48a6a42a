"""本书自己写的小型中文语料：TF-IDF 的示例文档、word2vec 的生成语料、命名实体识别的生成数据集。

全部由本模块的代码和手写的词表、句型生成（MIT 许可，随 dlguide 发布），运行时不下载任何东西：

- [`tfidf_documents`][dlguide.corpora.tfidf_documents]：8 篇手写的短文档，三个话题；
- [`word2vec_corpus`][dlguide.corpora.word2vec_corpus]：按手写句型随机生成的已分词句子，词之间的关系
  （首都—国家、男—女、同类事物、反义词）是**设计好的**，所以近邻和类比有标准答案可以核对；
- [`ner_dataset`][dlguide.corpora.ner_dataset]：手写句型填入实体名生成的字级 BIO 标注句子。地名、机构名取自
  jieba 0.42.1 随包附带的词典 ``jieba/dict.txt``（MIT 许可）里词性为 ``ns``/``nt`` 的词条，人名由常见姓氏和名字用字组合生成。

生成的语料句式有限，比真实新闻容易得多：它们用来演示算法、核对公式，不能代表真实任务上的数字。
"""

from __future__ import annotations

import random
from functools import cache
from importlib import resources

from dlguide._checks import check_choice, check_int, resolve_seed

__all__ = [
    "NER_TAGS",
    "ner_dataset",
    "ner_entity_names",
    "tfidf_documents",
    "word2vec_analogies",
    "word2vec_corpus",
]

_DOCUMENTS = (
    "深度学习模型在图像识别任务上超过了传统方法，卷积神经网络是其中的代表。",
    "神经网络的训练依赖反向传播算法和大量标注数据，图像和语音都是常见的训练数据。",
    "循环神经网络擅长处理文本和语音这样的序列数据，长短期记忆网络缓解了梯度消失。",
    "中国女排在世界杯决赛中战胜对手，再次获得冠军，球迷在体育馆里欢呼。",
    "这场足球比赛的门票很快售罄，两支球队的球迷提前来到体育场。",
    "国家队主教练宣布了参加亚运会的名单，几名年轻球员首次入选国家队。",
    "这家餐厅的红烧肉和麻婆豆腐很受欢迎，周末需要提前排队。",
    "做红烧肉要先把五花肉焯水，再加冰糖和酱油慢慢炖煮，炖到肉软烂为止。",
)


def tfidf_documents() -> list[str]:
    """8 篇手写的短文档（本书作者撰写，MIT 许可）：3 篇讲神经网络、3 篇讲体育、2 篇讲做菜。

    Returns
    -------
    list[str]
        未分词的句子，每篇一个字符串。

    Examples
    --------
    >>> docs = tfidf_documents()
    >>> len(docs), docs[6][:9]
    (8, '这家餐厅的红烧肉和')
    """
    return list(_DOCUMENTS)


# (国家, 首都, 语言)
_COUNTRIES = (
    ("中国", "北京", "汉语"), ("日本", "东京", "日语"), ("法国", "巴黎", "法语"), ("德国", "柏林", "德语"),
    ("英国", "伦敦", "英语"), ("俄罗斯", "莫斯科", "俄语"), ("意大利", "罗马", "意大利语"), ("韩国", "首尔", "韩语"),
)
# (男, 女, 两者共同的场景词)
_GENDER = (
    ("国王", "王后", "王宫"), ("父亲", "母亲", "家里"), ("儿子", "女儿", "学校"), ("丈夫", "妻子", "婚礼"),
    ("男孩", "女孩", "操场"), ("爷爷", "奶奶", "公园"), ("王子", "公主", "城堡"), ("男人", "女人", "街上"),
)
_FRUITS = ("苹果", "香蕉", "葡萄", "西瓜", "橙子", "草莓")
_ANIMALS = ("猫", "狗", "马", "牛", "羊", "兔子")
# (形容词, 反义词, 它们共同修饰的名词)
_ANTONYMS = (("热", "冷", "天气"), ("快", "慢", "速度"), ("贵", "便宜", "价格"), ("高", "矮", "个子"))


def _sentence(r: random.Random) -> list[str]:
    k = r.randrange(10)
    if k < 3:  # 国家、首都、语言
        country, capital, language = r.choice(_COUNTRIES)
        body = r.choice((
            [country, "的", "首都", "是", capital], [capital, "是", country, "的", "首都"],
            [capital, "人", "说", language], [country, "人", "说", language],
            ["我", "去", capital, "旅游"], ["我", "去", country, "旅游"],
        ))
    elif k < 6:  # 男女成对的称谓：性别只体现在代词“他/她”上，场景词由一对共享
        male, female, scene = r.choice(_GENDER)
        word, pronoun = (male, "他") if r.random() < 0.5 else (female, "她")
        body = r.choice((
            [word, "说", pronoun, "今天", "很", "忙"], [word, "在", scene],
            [pronoun, "是", "一个", "好", word], [word, "和", pronoun, "的", "朋友", "在", scene],
        ))
    elif k < 7:
        fruit = r.choice(_FRUITS)
        body = r.choice((["我", "喜欢", "吃", fruit], [fruit, "很", "甜"], ["市场", "上", "的", fruit, "很", "新鲜"]))
    elif k < 8:
        animal = r.choice(_ANIMALS)
        body = r.choice(([animal, "在", "草地", "上", "跑"], ["农场", "里", "有", animal], ["这些", animal, "很", "可爱"]))
    else:  # 反义词出现在完全相同的上下文里
        pair = r.choice(_ANTONYMS)
        adjective, noun = pair[r.randrange(2)], pair[2]
        body = r.choice(([noun, "很", adjective], ["这里", "的", noun, "太", adjective, "了"], ["大家", "都", "说", noun, "有点", adjective]))
    return body + ["。"]


def word2vec_corpus(n_sentences: int = 20_000, seed: int | None = 0) -> list[list[str]]:
    """按手写句型随机生成的已分词中文句子（本书生成，MIT 许可），用来训练 word2vec。

    五类句子：国家/首都/语言（30%）、成对的男女称谓（30%）、水果（10%）、动物（10%）、反义形容词（20%）。
    设计上：首都和它的国家共享语言词；一对男女称谓共享场景词，只在代词“他/她”上不同；
    一对反义词出现在完全相同的上下文里。

    Parameters
    ----------
    n_sentences : int
        句子数，在 [1, 1000000] 内。
    seed : int, optional
        随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    list[list[str]]
        每个句子是词的列表，以“。”结尾。

    Examples
    --------
    >>> word2vec_corpus(2)
    [['我', '喜欢', '吃', '西瓜', '。'], ['他', '是', '一个', '好', '男人', '。']]
    """
    check_int(n_sentences, "n_sentences", low=1, high=1_000_000)
    r = random.Random(resolve_seed(seed))
    return [_sentence(r) for _ in range(n_sentences)]


def word2vec_analogies(kind: str = "all") -> list[tuple[str, str, str, str]]:
    """[`word2vec_corpus`][dlguide.corpora.word2vec_corpus] 里设计好的类比题 ``(a, b, c, d)``：a 之于 b，如 c 之于 d。

    Parameters
    ----------
    kind : str
        ``"capital"``（国家→首都，8×7 道）、``"gender"``（男→女，8×7 道）或 ``"all"``。

    Returns
    -------
    list[tuple[str, str, str, str]]

    Examples
    --------
    >>> word2vec_analogies("gender")[0]
    ('国王', '王后', '父亲', '母亲')
    >>> len(word2vec_analogies())
    112
    """
    check_choice(kind, "kind", ("capital", "gender", "all"))
    out = []
    if kind in ("capital", "all"):
        pairs = [(c, cap) for c, cap, _ in _COUNTRIES]
        out += [(a, b, c, d) for a, b in pairs for c, d in pairs if a != c]
    if kind in ("gender", "all"):
        pairs = [(m, f) for m, f, _ in _GENDER]
        out += [(a, b, c, d) for a, b in pairs for c, d in pairs if a != c]
    return out


NER_TAGS = ("O", "B-PER", "I-PER", "B-LOC", "I-LOC", "B-ORG", "I-ORG")
"""命名实体识别的标签（BIO 方案），下标就是模型输出的类别号。"""

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛阎段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌辉鹏宇浩凯晨欣怡佳琪子涵雨轩梓睿思博嘉悦晓东海波丹宁亮成林峰雪梅琳婷颖慧"
_ORG_SUFFIXES = ("大学", "公司", "银行", "医院", "集团", "学院", "出版社", "研究所", "委员会")
_NOT_NAMES = {"自治县", "商业银行", "中央银行", "美国公司", "有限公司", "股份公司", "文理学院", "理工学院", "商学院", "中医院", "儿童医院",
              "音乐学院", "人民医院", "中心医院", "附属医院", "开发银行", "投资银行", "国有银行", "外资银行", "财政经济委员会",
              "大中城市", "大城市", "大都市", "大藏省", "农业大学", "理工大学", "综合大学", "国家银行"}


@cache
def _jieba_entities() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """从 jieba 词典读出地名（ns，以省/市/县结尾）和机构名（nt/ns，以大学、公司等结尾），词频 ≥ 20。"""
    text = resources.files("jieba").joinpath("dict.txt").read_text(encoding="utf-8")
    locations, organizations = set(), set()
    for line in text.splitlines():
        parts = line.split()
        if len(parts) != 3 or int(parts[1]) < 20 or parts[0] in _NOT_NAMES:
            continue
        word, tag = parts[0], parts[2]
        if tag == "ns" and len(word) >= 3 and word[-1] in "省市县" and word not in ("城市",):
            locations.add(word)
        elif tag in ("nt", "ns") and len(word) >= 4 and word.endswith(_ORG_SUFFIXES):
            organizations.add(word)
    return tuple(sorted(locations)), tuple(sorted(organizations))


def ner_entity_names(seed: int | None = 0) -> dict[str, list[str]]:
    """生成 NER 数据用的实体名：人名（生成）、地名与机构名（取自 jieba 词典，MIT 许可）。

    人名是姓氏 + 一到两个名字用字，按 ``seed`` 生成 600 个不重复的名字。

    Parameters
    ----------
    seed : int, optional
        生成人名的随机种子；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    dict[str, list[str]]
        键 ``"PER"``、``"LOC"``、``"ORG"``，值按字典序排列。

    Examples
    --------
    >>> names = ner_entity_names()
    >>> {k: len(v) for k, v in names.items()}
    {'PER': 600, 'LOC': 292, 'ORG': 258}
    >>> "武汉市" in names["LOC"], "北京大学" in names["ORG"]
    (True, True)
    """
    r = random.Random(resolve_seed(seed))
    people: set[str] = set()
    while len(people) < 600:
        people.add(r.choice(_SURNAMES) + "".join(r.choice(_GIVEN) for _ in range(r.choice((1, 2, 2)))))
    locations, organizations = _jieba_entities()
    return {"PER": sorted(people), "LOC": list(locations), "ORG": list(organizations)}


_TEMPLATES = (
    "{PER}昨天在{LOC}会见了{ORG}代表团。",
    "{ORG}宣布将在{LOC}建设新的研发中心。",
    "记者从{ORG}获悉，{PER}已于上周抵达{LOC}。",
    "{PER}说，{LOC}的经济增长速度超出了预期。",
    "据{ORG}统计，{LOC}今年接待游客超过三百万人次。",
    "{PER}和{PER}共同出席了{ORG}的成立大会。",
    "{LOC}与{LOC}之间的高速铁路正式开通。",
    "{ORG}的研究人员{PER}获得了本年度的科技奖。",
    "{PER}毕业于{UNI}，现在在{LOC}工作。",
    "今天上午，{PER}在{LOC}考察了当地的农业生产。",
    "{ORG}与{ORG}签署了战略合作协议。",
    "来自{LOC}的{PER}在比赛中获得了冠军。",
    "{PER}表示，{ORG}将继续加大在{LOC}的投资。",
    "{LOC}遭遇强降雨，{ORG}派出了救援队伍。",
    "{PER}是{UNI}的一名教师。",
    "这次会议由{ORG}主办，{PER}主持。",
    "{PER}的家乡在{LOC}。",
    "{COM}发布公告称，{PER}不再担任董事职务。",
    "{LOC}的居民对新政策表示欢迎。",
    "他上个月从{LOC}调到{ORG}工作。",
    "{PER}向{ORG}捐赠了一批图书。",
    "在{LOC}举行的论坛上，{PER}发表了演讲。",
    "{ORG}在{LOC}设立了办事处。",
    "{PER}认为，{LOC}应当加快发展旅游业。",
    "{PER}女士退休前一直在{ORG}工作。",
    "{UNI}今年录取了来自{LOC}的两千名学生。",
    "警方在{LOC}找到了走失的老人{PER}。",
    "{PER}先生和夫人一起访问了{LOC}。",
    "{ORG}的负责人{PER}接受了记者采访。",
    "{PER}、{PER}和{PER}当选为新一届理事。",
    # 以下句型只用于测试集：模型在训练时没见过这些上下文
    "{PER}昨晚乘飞机离开{LOC}，前往{LOC}参加会议。",
    "根据{ORG}的报告，{LOC}的空气质量明显改善。",
    "{COM}聘请{PER}担任首席科学家。",
    "{PER}出生在{LOC}，十八岁考入{UNI}。",
    "{LOC}政府与{ORG}联合举办了招聘会。",
    "{PER}对{ORG}的服务提出了批评。",
)
_TRAIN_TEMPLATES = 30
# 句型里的 {UNI}、{COM} 也是机构名（ORG），只是限定为学校或企业，免得出现“毕业于某某银行”
_ORG_SLOTS = {"UNI": ("大学", "学院"), "COM": ("公司", "集团", "银行")}


def _fill(template: str, names: dict[str, list[str]], r: random.Random) -> tuple[str, list[str]]:
    chars: list[str] = []
    tags: list[str] = []
    rest = template
    while rest:
        start = rest.find("{")
        if start < 0:
            chars += list(rest)
            tags += ["O"] * len(rest)
            break
        chars += list(rest[:start])
        tags += ["O"] * start
        end = rest.index("}", start)
        slot = rest[start + 1 : end]
        kind = "ORG" if slot in _ORG_SLOTS else slot
        pool = names[kind] if kind == slot else [n for n in names[kind] if n.endswith(_ORG_SLOTS[slot])]
        name = r.choice(pool)
        chars += list(name)
        tags += [f"B-{kind}"] + [f"I-{kind}"] * (len(name) - 1)
        rest = rest[end + 1 :]
    return "".join(chars), tags


def ner_dataset(n: int = 600, split: str = "train", seed: int | None = 0) -> list[tuple[str, list[str]]]:
    """生成的中文命名实体识别数据：字级 BIO 标注，实体类型 PER（人名）、LOC（地名）、ORG（机构名）。

    训练集与测试集的**实体名不重叠**（每类名字按固定的随机顺序七三分），测试集还有 6 个训练时没见过的句型，
    所以测试分数衡量的是对新名字、新上下文的泛化，而不是背词典。

    Parameters
    ----------
    n : int
        句子数，在 [1, 100000] 内。
    split : str
        ``"train"`` 或 ``"test"``。
    seed : int, optional
        随机种子（只影响抽句型和填名字，不影响名字的划分）；``None`` 表示不重新设种子，用 PyTorch 的全局随机状态。

    Returns
    -------
    list[tuple[str, list[str]]]
        ``(句子, 每个字的标签)``，标签取自 [`NER_TAGS`][dlguide.corpora.NER_TAGS]。

    Examples
    --------
    >>> sentence, tags = ner_dataset(1)[0]
    >>> sentence
    '郑秀先生和夫人一起访问了三门峡市。'
    >>> tags[:3], tags[-4:]
    (['B-PER', 'I-PER', 'O'], ['I-LOC', 'I-LOC', 'I-LOC', 'O'])
    """
    check_int(n, "n", low=1, high=100_000)
    check_choice(split, "split", ("train", "test"))
    r = random.Random(resolve_seed(seed) * 2 + (split == "test"))
    names = {}
    for kind, values in ner_entity_names().items():
        order = list(values)
        random.Random(kind).shuffle(order)
        cut = int(0.7 * len(order))
        names[kind] = order[:cut] if split == "train" else order[cut:]
    templates = _TEMPLATES[:_TRAIN_TEMPLATES] if split == "train" else _TEMPLATES
    return [_fill(r.choice(templates), names, r) for _ in range(n)]
