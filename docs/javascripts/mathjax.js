// MathJax 3 配置：只处理 arithmatex 生成的公式和笔记本 Markdown 单元格里的 $…$。
// MathJax 本身由站点发布（assets/mathjax/），不向任何第三方主机请求。
window.MathJax = {
  loader: { load: ["input/tex", "output/chtml", "a11y/assistive-mml"] },
  tex: {
    inlineMath: [["\\(", "\\)"], ["$", "$"]],
    displayMath: [["\\[", "\\]"], ["$$", "$$"]],
    processEscapes: true,
    processEnvironments: true,
  },
  options: {
    // 带 class 的元素一律跳过，除非它是 arithmatex 公式或笔记本的 Markdown 单元格；
    // 后者内部没有 class 的 <p>、<li> 等子元素会继续被处理（".*|" 会把它们也跳过）。
    ignoreHtmlClass: ".+",
    processHtmlClass: "arithmatex|jp-MarkdownOutput",
  },
  startup: {
    typeset: false,
    ready() {
      MathJax.startup.defaultReady();
      // 即时导航（navigation.instant）换页时不会重新加载脚本：每次换页都重新排版。
      document$.subscribe(() => {
        MathJax.startup.promise = MathJax.startup.promise.then(() => {
          MathJax.typesetClear();
          MathJax.texReset();
          return MathJax.typesetPromise();
        });
      });
    },
  },
};
