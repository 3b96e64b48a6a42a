{#- scripts/build_pdf.py 打印全书时的封面（print-site 插件的 cover_page_template）。 -#}
<div style="margin-top: 30vh; text-align: center">
  <h1 style="font-size: 2.4em; margin-bottom: 0.6em">{{ config.site_name }}</h1>
  <p style="font-size: 1.1em">{{ config.site_description }}</p>
  <p style="margin-top: 4em; color: #555">
    本 PDF 由站点自动打印：公式由 MathJax 排版，图由 dlguide 代码在构建时绘制，
    每个 <code>&gt;&gt;&gt;</code> 示例都在测试里运行过。
  </p>
  {%- set pdf = config.extra.dlguide_pdf %}
  {%- if pdf %}
  <p style="color: #555">生成于 {{ pdf.date }}{% if pdf.commit %}（提交 <code>{{ pdf.commit }}</code>）{% endif %}</p>
  {%- endif %}
</div>
