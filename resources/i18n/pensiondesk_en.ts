<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="zh_CN">
<context>
    <name>AddUserDialog</name>
    <message>
        <source>添加用户</source>
        <translation>Add user</translation>
    </message>
    <message>
        <source>请填写新用户的用户名、姓名和角色，并为他设一个初始密码（让他登录后自己修改）。</source>
        <translation>Enter the new user&apos;s user name, full name and role, and give them a first password (they change it after logging in).</translation>
    </message>
    <message>
        <source>用户名(&amp;U)：</source>
        <translation>&amp;User name:</translation>
    </message>
    <message>
        <source>姓名(&amp;X)：</source>
        <translation>Full name (&amp;X):</translation>
    </message>
    <message>
        <source>角色(&amp;R)：</source>
        <translation>&amp;Role:</translation>
    </message>
    <message>
        <source>初始密码(&amp;P)：</source>
        <translation>First &amp;password:</translation>
    </message>
    <message>
        <source>再输一遍(&amp;A)：</source>
        <translation>Once &amp;again:</translation>
    </message>
</context>
<context>
    <name>AnnouncementEditor</name>
    <message>
        <source>缴费通知</source>
        <translation>Contribution notice</translation>
    </message>
    <message>
        <source>认证通知</source>
        <translation>Survival check notice</translation>
    </message>
    <message>
        <source>致城乡居民的一封信（政策问答）</source>
        <translation>Letter to residents (policy questions and answers)</translation>
    </message>
    <message>
        <source>会议通知</source>
        <translation>Meeting notice</translation>
    </message>
    <message>
        <source> 年度</source>
        <translation> (year)</translation>
    </message>
    <message>
        <source>张贴通知（A4 大字）(&amp;A)</source>
        <translation>Wall notice (A4, large print) (&amp;A)</translation>
    </message>
    <message>
        <source>宣传单（A5，一张 A4 印两份）(&amp;5)</source>
        <translation>Leaflet (A5, two per A4 sheet) (&amp;5)</translation>
    </message>
    <message>
        <source>通知种类</source>
        <translation>Notice type</translation>
    </message>
    <message>
        <source>种类(&amp;K)：</source>
        <translation>&amp;Kind:</translation>
    </message>
    <message>
        <source>年度(&amp;Y)：</source>
        <translation>&amp;Year:</translation>
    </message>
    <message>
        <source>版式：</source>
        <translation>Layout:</translation>
    </message>
    <message>
        <source>村级现金收缴</source>
        <translation>Cash in the village</translation>
    </message>
    <message>
        <source>银行代收</source>
        <translation>Via the bank</translation>
    </message>
    <message>
        <source>税务渠道</source>
        <translation>Via the tax office</translation>
    </message>
    <message>
        <source>每行一项议程</source>
        <translation>One agenda item per line</translation>
    </message>
    <message>
        <source>不填时为本村协办员</source>
        <translation>If left empty: the village coordinator</translation>
    </message>
    <message>
        <source>通知中的事项（保存为本村设置，下次自动填好）</source>
        <translation>Details in the notice (saved for this village and filled in next time)</translation>
    </message>
    <message>
        <source>征缴开始(&amp;B)：</source>
        <translation>Collection &amp;begins:</translation>
    </message>
    <message>
        <source>征缴截止(&amp;E)：</source>
        <translation>Collection &amp;ends:</translation>
    </message>
    <message>
        <source>缴费地点(&amp;W)：</source>
        <translation>&amp;Where to pay:</translation>
    </message>
    <message>
        <source>代收银行：</source>
        <translation>Collecting bank:</translation>
    </message>
    <message>
        <source>缴费方式：</source>
        <translation>How to pay:</translation>
    </message>
    <message>
        <source>认证截止(&amp;E)：</source>
        <translation>Check &amp;deadline:</translation>
    </message>
    <message>
        <source>现场认证地点(&amp;W)：</source>
        <translation>&amp;Where to come for the check:</translation>
    </message>
    <message>
        <source>上门认证开始：</source>
        <translation>Home visits begin:</translation>
    </message>
    <message>
        <source>会议日期(&amp;B)：</source>
        <translation>Meeting &amp;date:</translation>
    </message>
    <message>
        <source>会议时间：</source>
        <translation>Meeting time:</translation>
    </message>
    <message>
        <source>会议地点(&amp;W)：</source>
        <translation>&amp;Where:</translation>
    </message>
    <message>
        <source>参会人员：</source>
        <translation>Who should attend:</translation>
    </message>
    <message>
        <source>会议议程（每行一项）：</source>
        <translation>Agenda (one item per line):</translation>
    </message>
    <message>
        <source>联系人(&amp;C)：</source>
        <translation>&amp;Contact person:</translation>
    </message>
    <message>
        <source>联系电话：</source>
        <translation>Contact phone:</translation>
    </message>
    <message>
        <source>按模板生成(&amp;G)</source>
        <translation>&amp;Generate text</translation>
    </message>
    <message>
        <source>按县里的模板和政策包重新生成通知文字（会替换下面已修改的文字）</source>
        <translation>Write the notice again from the county&apos;s template and the policy pack (replaces any edits below)</translation>
    </message>
    <message>
        <source>标题中的换行就是打印时的换行</source>
        <translation>Line breaks in the title are printed as they are</translation>
    </message>
    <message>
        <source>段与段之间空一行；以 # 开头的一段是小标题；单独一行的 {tier_table} 等表示在这里插入按政策包计算的表格，表格内容不能在这里修改，可以整行删去或移动。</source>
        <translation>Leave an empty line between paragraphs; a paragraph starting with # is a subheading. A line with only {tier_table} or similar inserts a table calculated from the policy pack here: its contents cannot be edited, but the whole line can be deleted or moved.</translation>
    </message>
    <message>
        <source>打印前修改文字（只影响这一次打印）</source>
        <translation>Edit the text before printing (this printing only)</translation>
    </message>
    <message>
        <source>标题(&amp;T)：</source>
        <translation>&amp;Title:</translation>
    </message>
    <message>
        <source>称呼(&amp;U)：</source>
        <translation>Sal&amp;utation:</translation>
    </message>
    <message>
        <source>正文(&amp;X)：</source>
        <translation>Te&amp;xt:</translation>
    </message>
    <message>
        <source>预览(&amp;P)</source>
        <translation>&amp;Preview</translation>
    </message>
    <message>
        <source>打印(&amp;R)…</source>
        <translation>P&amp;rint…</translation>
    </message>
    <message>
        <source>另存为PDF(&amp;S)…</source>
        <translation>&amp;Save as PDF…</translation>
    </message>
    <message>
        <source>打印日期</source>
        <translation>Printed on</translation>
    </message>
    <message>
        <source>种类</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>版式</source>
        <translation>Layout</translation>
    </message>
    <message>
        <source>操作员</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>模板</source>
        <translation>Template</translation>
    </message>
    <message>
        <source>查看所选记录(&amp;O)</source>
        <translation>&amp;Open selected record</translation>
    </message>
    <message>
        <source>打印记录（本村贴出和发放过的通知）</source>
        <translation>Print log (notices this village has posted or handed out)</translation>
    </message>
    <message>
        <source>重新生成通知</source>
        <translation>Generate the notice again</translation>
    </message>
    <message>
        <source>已修改的文字将被模板重新生成的文字替换，是否继续？</source>
        <translation>Your edits will be replaced by text generated from the template. Continue?</translation>
    </message>
    <message>
        <source>以下字符在打印字体中没有，印出来会是空白方框：%s
请改用常用字后再打印。</source>
        <translation>These characters are missing from the printing font and would print as empty boxes: %s
Please use common characters instead, then print.</translation>
    </message>
    <message>
        <source>无法生成打印文件：%s</source>
        <translation>Could not make the file to print: %s</translation>
    </message>
    <message>
        <source>A4 张贴通知</source>
        <translation>A4 wall notice</translation>
    </message>
    <message>
        <source>A4 横放，每张两份宣传单</source>
        <translation>A4 landscape, two leaflets per sheet</translation>
    </message>
    <message>
        <source>共 %d 页（%s）</source>
        <translation>%d page(s) (%s)</translation>
    </message>
    <message>
        <source>另存为PDF</source>
        <translation>Save as PDF</translation>
    </message>
    <message>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <source>无法保存文件 %s：%s</source>
        <translation>Could not save the file %s: %s</translation>
    </message>
    <message>
        <source>已保存：%s</source>
        <translation>Saved: %s</translation>
    </message>
    <message>
        <source>打印通知</source>
        <translation>Print notice</translation>
    </message>
    <message>
        <source>打印机无法开始打印，请检查打印机是否连接、是否缺纸。</source>
        <translation>The printer could not start. Check that it is connected and has paper.</translation>
    </message>
    <message>
        <source>已送打印机：%d 页</source>
        <translation>Sent to the printer: %d page(s)</translation>
    </message>
    <message>
        <source>张贴通知</source>
        <translation>Wall notice</translation>
    </message>
    <message>
        <source>宣传单</source>
        <translation>Leaflet</translation>
    </message>
    <message>
        <source>请先在打印记录中选择一条。</source>
        <translation>Select an entry in the print log first.</translation>
    </message>
    <message>
        <source>打印记录：%s 打印的“%s”（%s）</source>
        <translation>Print log: printed on %s, &quot;%s&quot; (%s)</translation>
    </message>
    <message>
        <source>通知/宣传单</source>
        <translation>Notices/leaflets</translation>
    </message>
</context>
<context>
    <name>AuditLogDialog</name>
    <message>
        <source>操作日志</source>
        <translation>Audit log</translation>
    </message>
    <message>
        <source>姓名或身份证号</source>
        <translation>Name or ID number</translation>
    </message>
    <message>
        <source>人员(&amp;P)：</source>
        <translation>&amp;Person:</translation>
    </message>
    <message>
        <source>操作员(&amp;U)：</source>
        <translation>Operator (&amp;U):</translation>
    </message>
    <message>
        <source>按日期(&amp;D)：</source>
        <translation>By &amp;date:</translation>
    </message>
    <message>
        <source>查询(&amp;Q)</source>
        <translation>Search (&amp;Q)</translation>
    </message>
    <message>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <source>选中一条记录，可在这里对照修改前后的内容。</source>
        <translation>Select an entry to compare the values before and after the change here.</translation>
    </message>
    <message>
        <source>字段</source>
        <translation>Field</translation>
    </message>
    <message>
        <source>修改前</source>
        <translation>Before</translation>
    </message>
    <message>
        <source>修改后</source>
        <translation>After</translation>
    </message>
    <message>
        <source>校验日志(&amp;V)</source>
        <translation>&amp;Verify log</translation>
    </message>
    <message>
        <source>检查操作日志是否完整、有没有被改动或删除</source>
        <translation>Check that the audit log is complete and nothing has been altered or deleted</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>全部操作员</source>
        <translation>All operators</translation>
    </message>
    <message>
        <source>共 %d 条（最新的在最上面）</source>
        <translation>%d entries (newest first)</translation>
    </message>
    <message>
        <source>这条记录的内容已无法读取（可能被改动过），请点“校验日志”。</source>
        <translation>This entry can no longer be read (it may have been altered); click &quot;Verify log&quot;.</translation>
    </message>
    <message>
        <source>（%s）</source>
        <translation> (%s)</translation>
    </message>
    <message>
        <source>第 %d 条：%s %s %s %s%s</source>
        <translation>Entry %d: %s %s %s %s%s</translation>
    </message>
    <message>
        <source>不详</source>
        <translation>unknown</translation>
    </message>
    <message>
        <source>。原因：%s</source>
        <translation>. Reason: %s</translation>
    </message>
    <message>
        <source>正在校验操作日志…</source>
        <translation>Verifying the audit log…</translation>
    </message>
    <message>
        <source>%s。请联系县社保局。</source>
        <translation>%s. Please contact the county social security bureau.</translation>
    </message>
</context>
<context>
    <name>AuditLogModel</name>
    <message>
        <source>时间</source>
        <extracomment>Rows made visible per ``fetchMore`` (the view asks for more as the user scrolls down). Rows read from the database together.</extracomment>
        <translation>Time</translation>
    </message>
    <message>
        <source>操作员</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>对象</source>
        <translation>Record</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
</context>
<context>
    <name>BackgroundJob</name>
    <message>
        <source>导入时程序出错，没有写入任何数据；错误已记录在日志中</source>
        <extracomment>File types a roster comes as (domain.md §16). Up to this many rows the preview fits each row&apos;s height to its problem text (measuring costs time). Called in the worker thread after each progress report (tests cancel at an exact point with it).</extracomment>
        <translation>The program hit an error while importing. Nothing was written; the error has been logged.</translation>
    </message>
</context>
<context>
    <name>BenefitAnswerDialog</name>
    <message>
        <source>登记县级审核结果</source>
        <translation>Record the county&apos;s decision</translation>
    </message>
    <message>
        <source>审核通过</source>
        <translation>Approved</translation>
    </message>
    <message>
        <source>退回</source>
        <translation>Returned</translation>
    </message>
    <message>
        <source>例如 165.32</source>
        <translation>e.g. 165.32</translation>
    </message>
    <message>
        <source>例如 2027-01</source>
        <translation>e.g. 2027-01</translation>
    </message>
    <message>
        <source>审核结果：</source>
        <translation>Decision:</translation>
    </message>
    <message>
        <source>月养老金（元）：</source>
        <translation>Monthly pension (yuan):</translation>
    </message>
    <message>
        <source>待遇起始年月：</source>
        <translation>Pension starts (year-month):</translation>
    </message>
    <message>
        <source>退回原因：</source>
        <translation>Reason returned:</translation>
    </message>
    <message>
        <source>答复日期：</source>
        <translation>Date of reply:</translation>
    </message>
    <message>
        <source>请检查</source>
        <translation>Please check</translation>
    </message>
</context>
<context>
    <name>BooksTab</name>
    <message>
        <source>登记并启用(&amp;A)</source>
        <translation>Register and st&amp;art using</translation>
    </message>
    <message>
        <source>启用(&amp;O)</source>
        <translation>Start &amp;using</translation>
    </message>
    <message>
        <source>结本(&amp;C)</source>
        <translation>&amp;Close book</translation>
    </message>
    <message>
        <source>对账(&amp;D)</source>
        <translation>Reconcile (&amp;D)</translation>
    </message>
    <message>
        <source>核销(&amp;W)</source>
        <translation>&amp;Write off</translation>
    </message>
    <message>
        <source>结本原因 / 遗失情况说明</source>
        <translation>Reason for closing / what happened to lost receipts</translation>
    </message>
    <message>
        <source>结本原因或遗失情况说明</source>
        <translation>Reason for closing, or what happened to lost receipts</translation>
    </message>
    <message>
        <source>遗失的空白票号</source>
        <translation>Numbers of lost blank receipts</translation>
    </message>
    <message>
        <source>遗失登记(&amp;L)</source>
        <translation>Record &amp;lost</translation>
    </message>
    <message>
        <source>保存偏移</source>
        <translation>Save offsets</translation>
    </message>
    <message>
        <source>打印校准页(&amp;T)</source>
        <translation>Print &amp;test page</translation>
    </message>
    <message>
        <source>收据用套打方式打印（县里预印的收据纸）</source>
        <translation>Print receipts as overlay (on the county&apos;s pre-printed receipt paper)</translation>
    </message>
    <message>
        <source>字轨(&amp;Z)：</source>
        <translation>Series (&amp;Z):</translation>
    </message>
    <message>
        <source>起始号码：</source>
        <translation>First number:</translation>
    </message>
    <message>
        <source>终止号码：</source>
        <translation>Last number:</translation>
    </message>
    <message>
        <source>套打校准（向右、向下为正，单位毫米）</source>
        <translation>Overlay calibration (right and down are positive, in mm)</translation>
    </message>
    <message>
        <source>水平偏移：</source>
        <translation>Horizontal offset:</translation>
    </message>
    <message>
        <source>垂直偏移：</source>
        <translation>Vertical offset:</translation>
    </message>
    <message>
        <source>已用完</source>
        <translation>used up</translation>
    </message>
    <message>
        <source>已登记并启用票据本 %s %d–%d</source>
        <translation>Receipt book %s %d–%d registered and in use</translation>
    </message>
    <message>
        <source>已登记票据本 %s %d–%d（当前票据本用完后再启用）</source>
        <translation>Receipt book %s %d–%d registered (start using it when the current book is used up)</translation>
    </message>
    <message>
        <source>请先选中一本票据</source>
        <translation>Select a receipt book first</translation>
    </message>
    <message>
        <source>无</source>
        <translation>none</translation>
    </message>
    <message>
        <source>票据本 %s %d–%d（%s）</source>
        <translation>Receipt book %s %d–%d (%s)</translation>
    </message>
    <message>
        <source>开具 %d 张，合计 %s</source>
        <translation>Issued: %d, total %s</translation>
    </message>
    <message>
        <source>作废 %d 张：%s</source>
        <translation>Void: %d: %s</translation>
    </message>
    <message>
        <source>遗失 %d 张：%s</source>
        <translation>Lost: %d: %s</translation>
    </message>
    <message>
        <source>未使用 %d 张：%s</source>
        <translation>Unused: %d: %s</translation>
    </message>
    <message>
        <source>对账相符</source>
        <translation>The book reconciles</translation>
    </message>
    <message>
        <source>对账不平：</source>
        <translation>The book does not reconcile: </translation>
    </message>
    <message>
        <source>已启用</source>
        <translation>In use</translation>
    </message>
    <message>
        <source>已结本</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>已对账</source>
        <translation>Reconciled</translation>
    </message>
    <message>
        <source>已核销</source>
        <translation>Written off</translation>
    </message>
    <message>
        <source>%s：%s %d–%d</source>
        <translation>%s: %s %d–%d</translation>
    </message>
    <message>
        <source>还有 %d 张没用就结本，请先在说明栏写明原因（例如：年度结束，剩余号码缴回）</source>
        <translation>%d receipts are still unused. To close the book now, first write the reason in the explanation box (e.g. end of year, remaining numbers handed back)</translation>
    </message>
    <message>
        <source>结本</source>
        <translation>Close book</translation>
    </message>
    <message>
        <source>结本(&amp;Y)</source>
        <translation>Close book (&amp;Y)</translation>
    </message>
    <message>
        <source>确定要结本票据本 %s 吗？

已开具 %d 张（合计 %s），作废 %d 张，遗失 %d 张，未使用 %d 张。
结本后这本票据不能再开收据，也不能重新启用，不能撤销；未使用的号码随本缴回县社保局。</source>
        <translation>Close receipt book %s?

%d issued (total %s), %d void, %d lost, %d unused.
After closing, no more receipts can be issued from this book and it cannot be used again; this cannot be undone. Unused numbers go back to the county bureau with the book.</translation>
    </message>
    <message>
        <source>核销</source>
        <translation>Write off</translation>
    </message>
    <message>
        <source>核销(&amp;Y)</source>
        <translation>Write off (&amp;Y)</translation>
    </message>
    <message>
        <source>确定要核销票据本 %s 吗？

开具 %d 张（合计 %s），作废 %d 张，遗失 %d 张，未使用 %d 张。
核销表示这本票据已和县社保局对清账目，核销后不能撤销。</source>
        <translation>Write off receipt book %s?

%d issued (total %s), %d void, %d lost, %d unused.
Writing off means the book&apos;s accounts are settled with the county bureau; this cannot be undone.</translation>
    </message>
    <message>
        <source>没有结本：票据本 %s 不变</source>
        <translation>Not closed: receipt book %s is unchanged</translation>
    </message>
    <message>
        <source>没有核销：票据本 %s 不变</source>
        <translation>Not written off: receipt book %s is unchanged</translation>
    </message>
    <message>
        <source>请选中票据本并填写遗失的号码</source>
        <translation>Select the receipt book and enter the lost numbers</translation>
    </message>
    <message>
        <source>请先在说明栏写明遗失情况</source>
        <translation>First describe the loss in the explanation box</translation>
    </message>
    <message>
        <source>确定要把空白票据 %s 登记为遗失吗？

登记后这个号码永远不能再开收据，并在对账、核销时算作遗失，不能撤销。缴费人把开好的收据弄丢了，不用登记遗失，请用“重打”补打。</source>
        <translation>Record blank receipt %s as lost?

The number can never be used for a receipt again and counts as lost when reconciling and writing off; this cannot be undone. If a payer lost a receipt that was issued, do not record it as lost: use &quot;Reprint&quot;.</translation>
    </message>
    <message>
        <source>遗失登记</source>
        <translation>Record lost</translation>
    </message>
    <message>
        <source>登记遗失(&amp;Y)</source>
        <translation>Record as lost (&amp;Y)</translation>
    </message>
    <message>
        <source>没有登记遗失：%s 不变</source>
        <translation>Not recorded as lost: %s is unchanged</translation>
    </message>
    <message>
        <source>已登记遗失：%s</source>
        <translation>Recorded as lost: %s</translation>
    </message>
    <message>
        <source>套打偏移已保存：水平 %s 毫米，垂直 %s 毫米</source>
        <translation>Overlay offsets saved: horizontal %s mm, vertical %s mm</translation>
    </message>
    <message>
        <source>套打校准页</source>
        <translation>overlay calibration page</translation>
    </message>
    <message>
        <source>收据将用套打方式打印</source>
        <translation>Receipts will be printed as overlay</translation>
    </message>
    <message>
        <source>收据将打印完整的三联票面</source>
        <translation>Receipts will be printed in full (all three parts)</translation>
    </message>
</context>
<context>
    <name>BulkRegistrationDialog</name>
    <message>
        <source>批量参保登记</source>
        <translation>Register several people</translation>
    </message>
    <message>
        <source>为选中的 %d 人办理参保登记</source>
        <translation>Register the %d selected people</translation>
    </message>
    <message>
        <source>自动（每人按已登记的身份，没有则为普通）</source>
        <translation>Automatic (each person&apos;s recorded category, else ordinary)</translation>
    </message>
    <message>
        <source>登记日期(&amp;D)：</source>
        <translation>Registration &amp;date:</translation>
    </message>
    <message>
        <source>参保身份：</source>
        <translation>Category:</translation>
    </message>
    <message>
        <source>缴费档次(&amp;T)：</source>
        <translation>Contribution &amp;tier:</translation>
    </message>
    <message>
        <source>只列出选中的每个人都能选择的档次。每人单独登记：不能登记的人（例如已参保、未满16周岁）不写入任何内容，登记后列出原因。登记后由另一位工作人员在“审核”中初审。</source>
        <translation>Only the tiers every selected person may choose are listed. Each person is registered on their own: nothing is saved for someone who cannot be registered (for example already enrolled, or under 16), and the reasons are listed afterwards. Another staff member then checks the registrations under “Review”.</translation>
    </message>
    <message>
        <source>登记 %d 人(&amp;S)</source>
        <translation>Regi&amp;ster %d people</translation>
    </message>
    <message>
        <source>停止（其余的人不再登记）</source>
        <translation>Stop (register no one else)</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>已录入 %d 人，%d 人未登记。</source>
        <translation>%d people entered, %d not registered.</translation>
    </message>
    <message>
        <source>已停止：其余 %d 人没有登记。</source>
        <translation>Stopped: the other %d people were not registered.</translation>
    </message>
    <message>
        <source>请另一位工作人员在“审核”中初审。</source>
        <translation>Another staff member must check them under “Review”.</translation>
    </message>
    <message>
        <source>%s：%s</source>
        <translation>%s: %s</translation>
    </message>
</context>
<context>
    <name>CategoryDialog</name>
    <message>
        <source>参保身份和证明材料 — %s</source>
        <translation>Categories and proof — %s</translation>
    </message>
    <message>
        <source>参保身份</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>证明材料编号</source>
        <translation>Proof document no.</translation>
    </message>
    <message>
        <source>有效期</source>
        <translation>Valid</translation>
    </message>
    <message>
        <source>低保证、残疾证等证明材料的编号</source>
        <translation>Number of the subsistence allowance card, disability card or other proof</translation>
    </message>
    <message>
        <source>年-月-日，例如 2026-01-01</source>
        <translation>Year-month-day, e.g. 2026-01-01</translation>
    </message>
    <message>
        <source>不填为长期有效</source>
        <translation>Leave empty if it does not expire</translation>
    </message>
    <message>
        <source>参保身份(&amp;C)：</source>
        <translation>&amp;Category:</translation>
    </message>
    <message>
        <source>证明材料编号(&amp;P)：</source>
        <translation>&amp;Proof document no.:</translation>
    </message>
    <message>
        <source>有效期自(&amp;F)：</source>
        <translation>Valid &amp;from:</translation>
    </message>
    <message>
        <source>有效期至(&amp;T)：</source>
        <translation>Valid un&amp;til:</translation>
    </message>
    <message>
        <source>保存(&amp;S)</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>%s 至 %s</source>
        <translation>%s to %s</translation>
    </message>
    <message>
        <source>长期</source>
        <translation>no end</translation>
    </message>
    <message>
        <source>缺证明材料，请补登</source>
        <translation>Proof missing: please enter it</translation>
    </message>
    <message>
        <source>有效</source>
        <translation>In force</translation>
    </message>
    <message>
        <source>已结束</source>
        <translation>Ended</translation>
    </message>
    <message>
        <source>未登记</source>
        <translation>Not entered</translation>
    </message>
    <message>
        <source>新增：%s %s</source>
        <translation>Add: %s %s</translation>
    </message>
    <message>
        <source>日期请按 年-月-日 填写，例如 2026-01-01</source>
        <translation>Write the date as year-month-day, e.g. 2026-01-01</translation>
    </message>
    <message>
        <source>不能保存</source>
        <translation>Cannot save</translation>
    </message>
    <message>
        <source>已保存</source>
        <translation>Saved</translation>
    </message>
</context>
<context>
    <name>CollectTab</name>
    <message>
        <source>输入或粘贴身份证号（或后 6 位），按回车</source>
        <translation>Type or paste the ID number (or its last 6 digits) and press Enter</translation>
    </message>
    <message>
        <source>本人</source>
        <translation>The person</translation>
    </message>
    <message>
        <source>亲属代缴</source>
        <translation>A relative</translation>
    </message>
    <message>
        <source>他人代缴</source>
        <translation>Someone else</translation>
    </message>
    <message>
        <source>亲属或他人代缴时填写</source>
        <translation>Fill in when a relative or someone else pays</translation>
    </message>
    <message>
        <source>代缴人姓名</source>
        <translation>Name of the person paying</translation>
    </message>
    <message>
        <source>补缴以前年度时填写乡镇审批文号</source>
        <translation>Township approval no. (back payments only)</translation>
    </message>
    <message>
        <source>收款并打印收据(&amp;S)</source>
        <translation>Collect and print receipt (&amp;S)</translation>
    </message>
    <message>
        <source>作废原因</source>
        <translation>Reason for voiding</translation>
    </message>
    <message>
        <source>作废(&amp;X)</source>
        <translation>Void (&amp;X)</translation>
    </message>
    <message>
        <source>换开(&amp;K)</source>
        <translation>Reissue (&amp;K)</translation>
    </message>
    <message>
        <source>重打(&amp;R)</source>
        <translation>&amp;Reprint</translation>
    </message>
    <message>
        <source>身份证号(&amp;I)：</source>
        <translation>&amp;ID number:</translation>
    </message>
    <message>
        <source>缴费年度(&amp;Y)：</source>
        <translation>Contribution &amp;year:</translation>
    </message>
    <message>
        <source>参保人和家庭成员</source>
        <translation>Insured person and household</translation>
    </message>
    <message>
        <source>缴费</source>
        <translation>Payment</translation>
    </message>
    <message>
        <source>缴费档次(&amp;T)：</source>
        <translation>Contribution &amp;tier:</translation>
    </message>
    <message>
        <source>缴费人(&amp;P)：</source>
        <translation>&amp;Paid by:</translation>
    </message>
    <message>
        <source>缴费渠道(&amp;C)：</source>
        <translation>Payment &amp;channel:</translation>
    </message>
    <message>
        <source>补缴审批(&amp;A)：</source>
        <translation>Back-payment &amp;approval:</translation>
    </message>
    <message>
        <source>测算：</source>
        <translation>Calculation:</translation>
    </message>
    <message>
        <source>实收金额(&amp;M)：</source>
        <translation>A&amp;mount received:</translation>
    </message>
    <message>
        <source>今天开具的收据(&amp;L)：</source>
        <translation>Receipts issued today (&amp;L):</translation>
    </message>
    <message>
        <source>作废原因(&amp;Q)：</source>
        <translation>Reason for voiding (&amp;Q):</translation>
    </message>
    <message>
        <source>输入身份证号后按回车，显示参保人、家庭成员和可选档次。</source>
        <translation>Enter an ID number and press Enter to see the insured person, the household and the tiers to choose from.</translation>
    </message>
    <message>
        <source>没有正在使用的票据本（在“票据本”中登记并启用）</source>
        <translation>No receipt book in use (register and start one under &quot;Receipt books&quot;)</translation>
    </message>
    <message>
        <source>下一张收据：%s（本册剩 %d 张）</source>
        <translation>Next receipt: %s (%d left in this book)</translation>
    </message>
    <message>
        <source>本村没有身份证号为 %s 的人员</source>
        <translation>Nobody in this village has the ID number %s</translation>
    </message>
    <message>
        <source>有 %d 人的身份证号以 %s 结尾，请用 ↑↓ 选择后按回车</source>
        <translation>%d people have ID numbers ending in %s: choose with ↑↓ and press Enter</translation>
    </message>
    <message>
        <source>普通</source>
        <translation>ordinary</translation>
    </message>
    <message>
        <source>&lt;b style=&apos;font-size:large&apos;&gt;%s&lt;/b&gt;&#x3000;%s&#x3000;%s 岁&#x3000;%s</source>
        <translation>&lt;b style=&apos;font-size:large&apos;&gt;%s&lt;/b&gt; · %s · age %s · %s</translation>
    </message>
    <message>
        <source>身份证号 %s&#x3000;参保状态：%s&#x3000;参保身份：%s</source>
        <translation>ID number %s · Status: %s · Category: %s</translation>
    </message>
    <message>
        <source>政府代缴 %s/年</source>
        <translation>Paid by the government: %s/year</translation>
    </message>
    <message>
        <source>上次缴费档次：%s 元</source>
        <translation>Last tier paid: %s yuan</translation>
    </message>
    <message>
        <source>已缴 %s 元</source>
        <translation>paid %s yuan</translation>
    </message>
    <message>
        <source>未缴</source>
        <translation>not paid</translation>
    </message>
    <message>
        <source>%s%s&#x3000;%s&#x3000;%s 岁&#x3000;%s&#x3000;%s</source>
        <translation>%s%s  %s  age %s  %s  %s</translation>
    </message>
    <message>
        <source>，收据 %s</source>
        <translation>, receipt %s</translation>
    </message>
    <message>
        <source>%s 的 %d 年度已缴费（%s 元档%s）</source>
        <translation>%s has already paid for %d (%s yuan tier%s)</translation>
    </message>
    <message>
        <source>%s 元</source>
        <translation>%s yuan</translation>
    </message>
    <message>
        <source>已收款：%s %d 年度 %s 元档，实收 %s</source>
        <translation>Payment collected: %s, %d, %s yuan tier, received %s</translation>
    </message>
    <message>
        <source>不开村级收据</source>
        <translation>no village receipt</translation>
    </message>
    <message>
        <source>收据 %s</source>
        <translation>receipt %s</translation>
    </message>
    <message>
        <source>（重打 第%d次）</source>
        <translation> (reprint no. %d)</translation>
    </message>
    <message>
        <source>请先在“今天开具的收据”中选中一张</source>
        <translation>Select a receipt in &quot;Receipts issued today&quot; first</translation>
    </message>
    <message>
        <source>请先填写作废原因（Alt+Q）</source>
        <translation>Enter the reason for voiding first (Alt+Q)</translation>
    </message>
    <message>
        <source>确定要作废收据 %s 并换开新收据吗？

作废后号码保留并标记“作废”，不能恢复；缴费记录改开在下一个号码上，并打印新收据。</source>
        <translation>Void receipt %s and issue a new one?

The voided number is kept and marked &quot;void&quot;; this cannot be undone. The payment moves to the next number and a new receipt is printed.</translation>
    </message>
    <message>
        <source>作废并换开(&amp;Y)</source>
        <translation>Void and reissue (&amp;Y)</translation>
    </message>
    <message>
        <source>确定要作废收据 %s 吗？

作废后号码保留并标记“作废”，不能恢复；这笔缴费记录同时冲正，请把现金退还缴费人。</source>
        <translation>Void receipt %s?

The number is kept and marked &quot;void&quot;; this cannot be undone. The payment is reversed: give the cash back to the payer.</translation>
    </message>
    <message>
        <source>作废(&amp;Y)</source>
        <translation>Void (&amp;Y)</translation>
    </message>
    <message>
        <source>作废收据</source>
        <translation>Void receipt</translation>
    </message>
    <message>
        <source>没有作废，收据 %s 保持不变</source>
        <translation>Not voided: receipt %s is unchanged</translation>
    </message>
    <message>
        <source>已作废 %s，换开 %s；%s</source>
        <translation>Voided %s, reissued as %s; %s</translation>
    </message>
    <message>
        <source>已作废 %s，缴费记录已冲正，请退还现金</source>
        <translation>Voided %s and reversed the payment: give the cash back</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <source>处理冲突 — %s</source>
        <translation>Resolve conflict — %s</translation>
    </message>
    <message>
        <source>标黄的项目两边不同。保留本机：以本机内容覆盖县里（下次同步时上传）；采用县级：把县里的内容写回本机。</source>
        <translation>Items in yellow differ. Keep this computer&apos;s: overwrite the county&apos;s copy with this computer&apos;s (sent at the next sync). Use the county&apos;s: write the county&apos;s copy back to this computer.</translation>
    </message>
    <message>
        <source>项目</source>
        <translation>Item</translation>
    </message>
    <message>
        <source>本机</source>
        <translation>This computer</translation>
    </message>
    <message>
        <source>县级</source>
        <translation>County</translation>
    </message>
    <message>
        <source>保留本机(&amp;L)</source>
        <translation>Keep &amp;local</translation>
    </message>
    <message>
        <source>采用县级(&amp;C)</source>
        <translation>Use &amp;county&apos;s</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>CoverageChart</name>
    <message>
        <source>各村民小组参保率</source>
        <translation>Enrolment rate by village group</translation>
    </message>
</context>
<context>
    <name>DayCloseTab</name>
    <message>
        <source>实交现金（元）</source>
        <translation>Cash handed over (yuan)</translation>
    </message>
    <message>
        <source>实交现金与收据合计不符时，说明原因</source>
        <translation>If the cash does not match the receipts total, explain why</translation>
    </message>
    <message>
        <source>日结并打印交款单(&amp;J)</source>
        <translation>Close the day and print handover sheet (&amp;J)</translation>
    </message>
    <message>
        <source>打印交款单(&amp;P)</source>
        <translation>&amp;Print handover sheet</translation>
    </message>
    <message>
        <source>日期(&amp;D)：</source>
        <translation>&amp;Date:</translation>
    </message>
    <message>
        <source>实交现金(&amp;K)：</source>
        <translation>Cash handed over (&amp;K):</translation>
    </message>
    <message>
        <source>差额说明(&amp;N)：</source>
        <translation>Differe&amp;nce explained:</translation>
    </message>
    <message>
        <source>重打 %d 次</source>
        <translation>reprinted %d time(s)</translation>
    </message>
    <message>
        <source>有效收据 %d 张，合计 %s（%s）；作废 %d 张；遗失 %d 张</source>
        <translation>%d valid receipts, total %s (%s); %d void; %d lost</translation>
    </message>
    <message>
        <source>。已日结：实交现金 %s，差额 %s，当天票据已锁定</source>
        <translation>. Day closed: cash handed over %s, difference %s; the day&apos;s receipts are locked</translation>
    </message>
    <message>
        <source>以下日期有收据尚未日结：%s</source>
        <translation>These days have receipts not yet closed: %s</translation>
    </message>
    <message>
        <source>有效收据 %d 张，合计 %s；实交现金 %s</source>
        <translation>%d valid receipts, total %s; cash handed over %s</translation>
    </message>
    <message>
        <source>，%s %s</source>
        <translation>, %s %s</translation>
    </message>
    <message>
        <source>多</source>
        <translation>over</translation>
    </message>
    <message>
        <source>少</source>
        <translation>short</translation>
    </message>
    <message>
        <source>确定要日结 %s 吗？

%s。
日结后这一天的收据全部锁定：不能再收款、作废或换开，日结也不能撤销。</source>
        <translation>Close the day %s?

%s.
After closing, all receipts of that day are locked: no more payments, voids or reissues, and the day close cannot be undone.</translation>
    </message>
    <message>
        <source>日结</source>
        <translation>Close the day</translation>
    </message>
    <message>
        <source>日结(&amp;Y)</source>
        <translation>Close the day (&amp;Y)</translation>
    </message>
    <message>
        <source>没有日结，%s 的收据仍可修改</source>
        <translation>Not closed: receipts of %s can still be changed</translation>
    </message>
    <message>
        <source>%s 已日结，当天票据已锁定；%s</source>
        <translation>%s closed, the day&apos;s receipts are locked; %s</translation>
    </message>
</context>
<context>
    <name>DeathReportDialog</name>
    <message>
        <source>登记死亡</source>
        <translation>Report a death</translation>
    </message>
    <message>
        <source>死者的18位身份证号</source>
        <translation>The deceased&apos;s 18-digit ID number</translation>
    </message>
    <message>
        <source>死亡证明、火化证明或户口注销证明编号</source>
        <translation>Number of the death, cremation or household-deregistration certificate</translation>
    </message>
    <message>
        <source>银行流水显示已发放至哪个月，如 2026-06；不填按报告当月</source>
        <translation>Last month paid according to the bank, e.g. 2026-06; if empty, the month of the report</translation>
    </message>
    <message>
        <source>不填按核定金额</source>
        <translation>If empty, the approved amount</translation>
    </message>
    <message>
        <source>死亡时正在服刑</source>
        <translation>Was serving a prison sentence at death</translation>
    </message>
    <message>
        <source>已享受其他丧葬补助</source>
        <translation>Already received another funeral grant</translation>
    </message>
    <message>
        <source>身份证号：</source>
        <translation>ID number:</translation>
    </message>
    <message>
        <source>死亡日期：</source>
        <translation>Date of death:</translation>
    </message>
    <message>
        <source>报告日期：</source>
        <translation>Date reported:</translation>
    </message>
    <message>
        <source>信息来源：</source>
        <translation>Source of information:</translation>
    </message>
    <message>
        <source>证明材料：</source>
        <translation>Certificate:</translation>
    </message>
    <message>
        <source>已发放至：</source>
        <translation>Paid up to:</translation>
    </message>
    <message>
        <source>月养老金（元）：</source>
        <translation>Monthly pension (yuan):</translation>
    </message>
    <message>
        <source>继承人姓名：</source>
        <translation>Heir&apos;s name:</translation>
    </message>
    <message>
        <source>继承人身份证号：</source>
        <translation>Heir&apos;s ID number:</translation>
    </message>
    <message>
        <source>银行卡（社保卡）号：</source>
        <translation>Bank card (social security card) number:</translation>
    </message>
</context>
<context>
    <name>DeathsTab</name>
    <message>
        <source>登记死亡(&amp;R)…</source>
        <translation>&amp;Report death…</translation>
    </message>
    <message>
        <source>导入民政死亡名单(&amp;I)…</source>
        <translation>&amp;Import death list…</translation>
    </message>
    <message>
        <source>填写继承人…</source>
        <translation>Heir…</translation>
    </message>
    <message>
        <source>村级初审…</source>
        <translation>First review…</translation>
    </message>
    <message>
        <source>上报</source>
        <translation>Submit</translation>
    </message>
    <message>
        <source>登记乡镇/县级结果…</source>
        <translation>Record decision…</translation>
    </message>
    <message>
        <source>打印申请表(&amp;P)…</source>
        <translation>&amp;Print form…</translation>
    </message>
    <message>
        <source>不予支付</source>
        <translation>Not payable</translation>
    </message>
    <message>
        <source>死亡注销</source>
        <translation>Death deregistration</translation>
    </message>
    <message>
        <source>请先选中一条注销登记</source>
        <translation>Select a deregistration first</translation>
    </message>
    <message>
        <source>确定要登记 %s（%s）死亡吗？

死亡日期 %s。登记后此人参保状态改为“终止”，养老金停发，并算出多领金额和丧葬补助金。登记后不能撤销，请先核对姓名、身份证号和死亡日期。</source>
        <translation>Report the death of %s (%s)?

Date of death %s. The person&apos;s status becomes &quot;ended&quot;, the pension stops, and any overpayment and the funeral grant are calculated. This cannot be undone: check the name, ID number and date of death first.</translation>
    </message>
    <message>
        <source>登记死亡</source>
        <translation>Report a death</translation>
    </message>
    <message>
        <source>登记死亡(&amp;Y)</source>
        <translation>Report the death (&amp;Y)</translation>
    </message>
    <message>
        <source>没有登记 %s 的死亡</source>
        <translation>The death of %s was not reported</translation>
    </message>
    <message>
        <source>已登记死亡，自 %s 起停发；多领 %d 个月共 %s 元</source>
        <translation>Death reported; the pension stops from %s; overpaid %d month(s), %s yuan in total</translation>
    </message>
    <message>
        <source>丧葬补助金抵扣 %s 元</source>
        <translation>%s yuan deducted from the funeral grant</translation>
    </message>
    <message>
        <source> 等</source>
        <translation> and others</translation>
    </message>
    <message>
        <source>确定要按民政死亡名单 %s 登记 %d 人死亡吗？

%s

登记后这些人参保状态改为“终止”，养老金停发，并算出多领金额和丧葬补助金。登记后不能撤销，请先核对名单。
需要核实、本村无此人或有问题的 %d 行不会登记，导入后会一一列出；此前已登记的 %d 行不再登记。</source>
        <translation>Report the deaths on civil affairs list %s: %d people?

%s

Their status becomes &quot;ended&quot;, their pensions stop, and overpayments and funeral grants are calculated. This cannot be undone: check the list first.
%d rows to verify, not in this village or with problems are not reported; they are listed after the import. %d rows reported before are not reported again.</translation>
    </message>
    <message>
        <source>导入死亡名单</source>
        <translation>Import death list</translation>
    </message>
    <message>
        <source>登记 %d 人死亡(&amp;Y)</source>
        <translation>Report %d deaths (&amp;Y)</translation>
    </message>
    <message>
        <source>没有导入死亡名单 %s：没有登记任何人的死亡</source>
        <translation>Death list %s not imported: no deaths were reported</translation>
    </message>
    <message>
        <source>选择民政死亡名单</source>
        <translation>Choose the civil affairs death list</translation>
    </message>
    <message>
        <source>表格 (*.xlsx *.xls *.csv *.ods)</source>
        <translation>Spreadsheets (*.xlsx *.xls *.csv *.ods)</translation>
    </message>
    <message>
        <source>民政死亡名单 %s：共 %d 行，已登记死亡 %d 人，需要核实 %d 行，本村无此人 %d 行，此前已登记 %d 行，有问题 %d 行</source>
        <translation>Civil affairs death list %s: %d rows; %d deaths reported, %d rows to verify, %d rows not in this village, %d rows reported before, %d rows with problems</translation>
    </message>
    <message>
        <source>需要核实</source>
        <translation>To verify</translation>
    </message>
    <message>
        <source>本村无此人</source>
        <translation>Not in this village</translation>
    </message>
    <message>
        <source>有问题</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>村级初审</source>
        <translation>Village first review</translation>
    </message>
    <message>
        <source>初审人（须与录入人不同）：</source>
        <translation>Reviewer (not the person who entered it):</translation>
    </message>
    <message>
        <source>乡镇复审通过</source>
        <translation>Township review passed</translation>
    </message>
    <message>
        <source>县级审核通过（归档）</source>
        <translation>County approved (archived)</translation>
    </message>
    <message>
        <source>退回</source>
        <translation>Returned</translation>
    </message>
    <message>
        <source>退回后已改正，重新录入</source>
        <translation>Corrected after return, entered again</translation>
    </message>
    <message>
        <source>登记审核结果</source>
        <translation>Record review decision</translation>
    </message>
    <message>
        <source>结果：</source>
        <translation>Decision:</translation>
    </message>
    <message>
        <source>退回原因：</source>
        <translation>Reason returned:</translation>
    </message>
    <message>
        <source>注销登记暨丧葬补助金申请表</source>
        <translation>Deregistration and funeral grant application form</translation>
    </message>
</context>
<context>
    <name>DismissDialog</name>
    <message>
        <source>判定不是同一人</source>
        <translation>Not the same person</translation>
    </message>
    <message>
        <source>%s
%s
%s

确认这是两个不同的人？确认后这一对不再列为疑似重复（可以撤销）。</source>
        <translation>%s
%s
%s

Are these two different people? Once confirmed, the pair is no longer listed as a likely duplicate (this can be undone).</translation>
    </message>
    <message>
        <source>例如：核对户口簿，系双胞胎</source>
        <translation>e.g. checked the household register: twins</translation>
    </message>
    <message>
        <source>核对情况(&amp;N)：</source>
        <translation>How it was checked (&amp;N):</translation>
    </message>
    <message>
        <source>不是同一人(&amp;Y)</source>
        <translation>Not the same person (&amp;Y)</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>DuplicatesDialog</name>
    <message>
        <source>疑似重复登记排查</source>
        <extracomment>A person to select in the list (查看甲/乙); the dialog has closed. True once a decision was written (the list behind may show other counts).</extracomment>
        <translation>Likely duplicate registrations</translation>
    </message>
    <message>
        <source>显示已判定不是同一人的(&amp;A)</source>
        <translation>Also show pairs judged to be different people (&amp;A)</translation>
    </message>
    <message>
        <source>查看甲(&amp;1)</source>
        <translation>Show first (&amp;1)</translation>
    </message>
    <message>
        <source>查看乙(&amp;2)</source>
        <translation>Show second (&amp;2)</translation>
    </message>
    <message>
        <source>不是同一人(&amp;D)…</source>
        <translation>Not the same person (&amp;D)…</translation>
    </message>
    <message>
        <source>撤销判定(&amp;U)</source>
        <translation>Undo decision (&amp;U)</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>发现 %d 对疑似重复登记。请逐对核对户口簿或身份证：是同一个人的，点“查看甲/乙”在人员信息里更正登记错的那一条（修改关键信息…）；确实是两个人的，点“不是同一人…”。</source>
        <translation>%d likely duplicate pairs found. Check each pair against the household register or ID card: if it is one person, use Show first/second and correct the wrong record (Change key details…); if they really are two people, press Not the same person….</translation>
    </message>
    <message>
        <source>没有发现疑似重复登记（姓名和出生日期相同，或身份证号只差一位的）。</source>
        <translation>No likely duplicates (same name and birth date, or ID numbers one digit apart).</translation>
    </message>
    <message>
        <source>不是同一人（%s）</source>
        <translation>Not the same person (%s)</translation>
    </message>
</context>
<context>
    <name>EnrolDialog</name>
    <message>
        <source>登记到县级服务器</source>
        <translation>Enrol with the county server</translation>
    </message>
    <message>
        <source>请填写县社保局提供的服务器地址和一次性登记码。登记后，本机已有的全部记录会排队上传到县里。</source>
        <translation>Enter the server address and the one-time enrolment code from the county social security bureau. After enrolling, all records already on this computer are queued for upload to the county.</translation>
    </message>
    <message>
        <source>例如：https://sync.example.gov.cn</source>
        <translation>e.g. https://sync.example.gov.cn</translation>
    </message>
    <message>
        <source>例如：K7QH-3MZP-W2RC-9TXA</source>
        <translation>e.g. K7QH-3MZP-W2RC-9TXA</translation>
    </message>
    <message>
        <source>可不填（默认：电脑名）</source>
        <translation>Optional (default: the computer&apos;s name)</translation>
    </message>
    <message>
        <source>服务器地址(&amp;S)：</source>
        <translation>&amp;Server address:</translation>
    </message>
    <message>
        <source>登记码(&amp;C)：</source>
        <translation>Enrolment &amp;code:</translation>
    </message>
    <message>
        <source>本机名称(&amp;N)：</source>
        <translation>&amp;Name of this computer:</translation>
    </message>
    <message>
        <source>登记</source>
        <translation>Enrol</translation>
    </message>
    <message>
        <source>服务器地址应以 https:// 或 http:// 开头</source>
        <translation>The server address must start with https:// or http://</translation>
    </message>
    <message>
        <source>请填写县社保局给的登记码</source>
        <translation>Enter the enrolment code from the county social security bureau</translation>
    </message>
</context>
<context>
    <name>EnrolPage</name>
    <message>
        <source>第 1 步：登记到县级服务器</source>
        <translation>Step 1: enrol with the county server</translation>
    </message>
    <message>
        <source>请填写县社保局给的服务器地址和登记码，然后按“登记”。</source>
        <translation>Enter the server address and enrolment code from the county social security bureau, then click &quot;Enrol&quot;.</translation>
    </message>
    <message>
        <source>例如：https://sync.example.gov.cn</source>
        <translation>e.g. https://sync.example.gov.cn</translation>
    </message>
    <message>
        <source>例如：K7QH-3MZP-W2RC-9TXA</source>
        <translation>e.g. K7QH-3MZP-W2RC-9TXA</translation>
    </message>
    <message>
        <source>可不填（默认：电脑名）</source>
        <translation>Optional (default: the computer&apos;s name)</translation>
    </message>
    <message>
        <source>服务器地址(&amp;S)：</source>
        <translation>&amp;Server address:</translation>
    </message>
    <message>
        <source>登记码(&amp;C)：</source>
        <translation>Enrolment &amp;code:</translation>
    </message>
    <message>
        <source>本机名称(&amp;M)：</source>
        <translation>Na&amp;me of this computer:</translation>
    </message>
    <message>
        <source>登记(&amp;R)</source>
        <translation>Enrol (&amp;R)</translation>
    </message>
    <message>
        <source>连不上，先离线设置(&amp;O)</source>
        <translation>Cannot connect: set up &amp;offline first</translation>
    </message>
    <message>
        <source>服务器地址应以 https:// 或 http:// 开头，请照县社保局给的地址填写</source>
        <translation>The server address must start with https:// or http://; enter it exactly as the county bureau gave it</translation>
    </message>
    <message>
        <source>请填写县社保局给的登记码</source>
        <translation>Enter the enrolment code from the county social security bureau</translation>
    </message>
    <message>
        <source>正在连接县级服务器，请稍候……</source>
        <translation>Connecting to the county server, please wait…</translation>
    </message>
    <message>
        <source>登记成功：本机已登记为 %s。请按“下一步”。</source>
        <translation>Enrolled: this computer is enrolled as %s. Click &quot;Next&quot;.</translation>
    </message>
    <message>
        <source>没有登记成功：%s
请核对地址和登记码再按“登记”；暂时连不上时，可以先离线设置本村。</source>
        <translation>Enrolment failed: %s
Check the address and code and click &quot;Enrol&quot; again; if you cannot connect for now, set up the village offline first.</translation>
    </message>
</context>
<context>
    <name>EstimateTab</name>
    <message>
        <source>本村人员的身份证号（可不填）</source>
        <translation>ID number of a villager (optional)</translation>
    </message>
    <message>
        <source>全部档次；或如 100,300,500</source>
        <translation>All tiers; or e.g. 100,300,500</translation>
    </message>
    <message>
        <source>测算(&amp;S)</source>
        <translation>Calculate (&amp;S)</translation>
    </message>
    <message>
        <source>打印(&amp;P)</source>
        <translation>&amp;Print</translation>
    </message>
    <message>
        <source>身份证号(&amp;I)：</source>
        <translation>&amp;ID number:</translation>
    </message>
    <message>
        <source>或出生日期(&amp;B)：</source>
        <translation>or date of &amp;birth:</translation>
    </message>
    <message>
        <source>档次(&amp;T)：</source>
        <translation>&amp;Tiers:</translation>
    </message>
    <message>
        <source>本村没有这个身份证号的人员</source>
        <translation>Nobody in this village has this ID number</translation>
    </message>
    <message>
        <source>有多人的身份证号以此结尾，请输入完整号码</source>
        <translation>Several people&apos;s ID numbers end like this; enter the whole number</translation>
    </message>
    <message>
        <source>算账表</source>
        <translation>estimate</translation>
    </message>
</context>
<context>
    <name>FilePage</name>
    <message>
        <source>第 1 步：选择花名册文件</source>
        <translation>Step 1: choose the roster file</translation>
    </message>
    <message>
        <source>支持 Excel（.xlsx、.xls）、WPS/LibreOffice（.ods）和 .csv 文件。</source>
        <translation>Excel (.xlsx, .xls), WPS/LibreOffice (.ods) and .csv files can be used.</translation>
    </message>
    <message>
        <source>点“浏览…”选择文件，或把文件路径粘贴到这里</source>
        <translation>Click &quot;Browse…&quot; to choose a file, or paste the file&apos;s path here</translation>
    </message>
    <message>
        <source>浏览(&amp;O)…</source>
        <translation>Br&amp;owse…</translation>
    </message>
    <message>
        <source>文件第一行可以是标题（如“××村参保花名册”），程序会自动找到表头。表头中至少要有“姓名”和“身份证号”两列。导入前会先检查每一行，确认后才写入。</source>
        <translation>The first line of the file may be a title (such as &quot;XX village insured roster&quot;); the program finds the header row by itself. The header must have at least the columns “姓名” (name) and “身份证号” (ID number). Every row is checked before importing, and nothing is written until you confirm.</translation>
    </message>
    <message>
        <source>花名册 (*.xlsx *.xlsm *.xls *.ods *.csv);;所有文件 (*)</source>
        <translation>Rosters (*.xlsx *.xlsm *.xls *.ods *.csv);;All files (*)</translation>
    </message>
    <message>
        <source>选择花名册文件</source>
        <translation>Choose the roster file</translation>
    </message>
    <message>
        <source>找不到文件“%s”；请重新选择</source>
        <translation>File &quot;%s&quot; not found; please choose again</translation>
    </message>
</context>
<context>
    <name>FilterBar</name>
    <message>
        <source>全部</source>
        <extracomment>即将到龄: persons who turn 60 within this many months. The longest usual villager group name: the 村民小组 filter shows at least this much of a name. The day the filters count from (即将到龄, this year&apos;s documents); ``None``: the real today.</extracomment>
        <translation>All</translation>
    </message>
    <message>
        <source>即将到龄（3个月内）</source>
        <translation>Turning 60 (within 3 months)</translation>
    </message>
    <message>
        <source>3个月内年满60周岁、需要办理待遇领取的人员</source>
        <translation>People who turn 60 within 3 months and need to apply for their pension</translation>
    </message>
    <message>
        <source>材料未交齐</source>
        <translation>Papers missing</translation>
    </message>
    <message>
        <source>外出务工人员今年的委托书、承诺书等材料还没有交齐，或低保、特困等身份还没有登记证明材料</source>
        <translation>Migrant workers whose papers for this year (power of attorney, pledge, etc.) are not all in yet, or persons in a hardship category (subsistence allowance, extreme poverty, etc.) whose proof is not entered</translation>
    </message>
    <message>
        <source>外出务工人员今年的委托书、承诺书等材料还没有交齐</source>
        <translation type="vanished">Migrant workers whose papers for this year (power of attorney, pledge, etc.) are not all in yet</translation>
    </message>
    <message>
        <source>关系待核对</source>
        <translation>Relation to check</translation>
    </message>
    <message>
        <source>户主变更后，与户主的关系还没有核对的人员；在“家庭”（Ctrl+H）中核对</source>
        <translation>People whose relation to the head has not been checked since the head changed; check it in Household (Ctrl+H)</translation>
    </message>
    <message>
        <source>清除筛选</source>
        <translation>Clear filters</translation>
    </message>
    <message>
        <source>村民小组：</source>
        <translation>Village group:</translation>
    </message>
    <message>
        <source>参保状态：</source>
        <translation>Status:</translation>
    </message>
    <message>
        <source>参保身份：</source>
        <translation>Category:</translation>
    </message>
</context>
<context>
    <name>FinishPage</name>
    <message>
        <source>设置完成</source>
        <translation>Setup finished</translation>
    </message>
    <message>
        <source>请看一下设置的结果，然后按“完成”开始工作。</source>
        <translation>Look over the settings, then click &quot;Finish&quot; to start working.</translation>
    </message>
    <message>
        <source>这些设置以后都可以在“设置”页修改，或按“重新运行设置向导”再来一遍。</source>
        <translation>All of these can be changed later on the Settings page, or run the setup wizard again.</translation>
    </message>
    <message>
        <source>• 本村：%s（%s），%s %s</source>
        <translation>• Village: %s (%s), %s %s</translation>
    </message>
    <message>
        <source>• 本村：还没有设置（下次打开程序时会再问）</source>
        <translation>• Village: not set up yet (you will be asked next time the program opens)</translation>
    </message>
    <message>
        <source>• 县级服务器：已登记，可以在“同步”页同步</source>
        <translation>• County server: enrolled; sync on the Sync page</translation>
    </message>
    <message>
        <source>• 县级服务器：还没有登记，有了登记码后到“同步”页登记</source>
        <translation>• County server: not enrolled; enrol on the Sync page once you have an enrolment code</translation>
    </message>
    <message>
        <source>• 第一个用户：%s（%s），管理员；数据已加密保存</source>
        <translation>• First user: %s (%s), administrator; the data is stored encrypted</translation>
    </message>
    <message>
        <source>• 恢复密钥：已确认放入保险柜</source>
        <translation>• Recovery key: confirmed as locked in the safe</translation>
    </message>
    <message>
        <source>• 用户：这个版本的程序还没有登录功能</source>
        <translation>• Users: this version of the program has no logins yet</translation>
    </message>
    <message>
        <source>• 用户：本机有 %d 个用户（在“设置 → 用户和密码”管理）</source>
        <translation>• Users: %d on this computer (managed under Settings → Users and passwords)</translation>
    </message>
    <message>
        <source>• 打印机：%s</source>
        <translation>• Printer: %s</translation>
    </message>
    <message>
        <source>• 打印机：没有，打印的内容保存为 PDF 文件</source>
        <translation>• Printer: none; printouts are saved as PDF files</translation>
    </message>
    <message>
        <source>• 花名册：已导入 %d 人</source>
        <translation>• Roster: %d people imported</translation>
    </message>
    <message>
        <source>• 花名册：没有导入（以后可以在“人员/登记”页导入）</source>
        <translation>• Roster: not imported (you can import it later on the People page)</translation>
    </message>
</context>
<context>
    <name>FirstUserPage</name>
    <message>
        <source>第 2 步：第一个用户</source>
        <translation>Step 2: the first user</translation>
    </message>
    <message>
        <source>请为自己设一个用户名和密码，以后每次打开程序都要输入。</source>
        <translation>Choose a user name and password for yourself; you will enter them every time you open the program.</translation>
    </message>
    <message>
        <source>字母或数字，例如 wangfang</source>
        <translation>Letters or digits, e.g. wangfang</translation>
    </message>
    <message>
        <source>例如：王芳</source>
        <translation>e.g. Wang Fang</translation>
    </message>
    <message>
        <source>用户名(&amp;U)：</source>
        <translation>&amp;User name:</translation>
    </message>
    <message>
        <source>姓名(&amp;X)：</source>
        <translation>Full name (&amp;X):</translation>
    </message>
    <message>
        <source>密码(&amp;P)：</source>
        <translation>&amp;Password:</translation>
    </message>
    <message>
        <source>再输一遍密码(&amp;A)：</source>
        <translation>Password &amp;again:</translation>
    </message>
    <message>
        <source>这个用户是管理员，可以添加其他用户。按“确定”后，电脑里的数据会加密保存，没有密码打不开；下一页会给您一把恢复密钥，忘了密码时用它。</source>
        <translation>This user is an administrator and can add other users. After you confirm, the data on this computer is stored encrypted and cannot be opened without a password; the next page gives you a recovery key for when a password is forgotten.</translation>
    </message>
    <message>
        <source>请填写用户名</source>
        <translation>Enter a user name</translation>
    </message>
    <message>
        <source>请填写姓名，打印的单据上会用到</source>
        <translation>Enter your full name; it appears on printed documents</translation>
    </message>
    <message>
        <source>请设一个密码</source>
        <translation>Choose a password</translation>
    </message>
    <message>
        <source>两次输入的密码不一样，请再输一遍</source>
        <translation>The two passwords differ; please enter them again</translation>
    </message>
</context>
<context>
    <name>GroupChooser</name>
    <message>
        <source>全部村民小组</source>
        <extracomment>Sample texts for column widths, by header: widths follow the font, not pixels.</extracomment>
        <translation>All village groups</translation>
    </message>
</context>
<context>
    <name>HeirDialog</name>
    <message>
        <source>填写继承人</source>
        <translation>Enter heir</translation>
    </message>
    <message>
        <source>继承人姓名：</source>
        <translation>Heir&apos;s name:</translation>
    </message>
    <message>
        <source>身份证号：</source>
        <translation>ID number:</translation>
    </message>
    <message>
        <source>银行卡（社保卡）号：</source>
        <translation>Bank card (social security card) number:</translation>
    </message>
</context>
<context>
    <name>HouseholdDialog</name>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>公民身份号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>与户主关系</source>
        <translation>Relation to head</translation>
    </message>
    <message>
        <source>参保状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>迁入他户(&amp;M)…</source>
        <translation>&amp;Move to another household…</translation>
    </message>
    <message>
        <source>设为户主(&amp;H)…</source>
        <translation>Make &amp;head of household…</translation>
    </message>
    <message>
        <source>改关系(&amp;R)…</source>
        <translation>Change &amp;relation…</translation>
    </message>
    <message>
        <source>单独立户(&amp;N)</source>
        <translation>&amp;New household of own</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>家庭 — %s</source>
        <translation>Household — %s</translation>
    </message>
    <message>
        <source>%s 还没有归入任何一户</source>
        <translation>%s does not belong to any household yet</translation>
    </message>
    <message>
        <source>可以点“单独立户”让他（她）当户主，或点“迁入他户”加入已有的一户。</source>
        <translation>Click &quot;New household of own&quot; to make them head of their own household, or &quot;Move to another household&quot; to join an existing one.</translation>
    </message>
    <message>
        <source>（未指定户主）</source>
        <translation>(no head of household)</translation>
    </message>
    <message>
        <source>家庭 — 户主：%s</source>
        <translation>Household — head: %s</translation>
    </message>
    <message>
        <source>户主：%s&#x3000;&#x3000;共 %d 人</source>
        <translation>Head: %s    %d member(s)</translation>
    </message>
    <message>
        <source>户号：%s</source>
        <translation>Household no.: %s</translation>
    </message>
    <message>
        <source>未填</source>
        <translation>not filled in</translation>
    </message>
    <message>
        <source>村民小组：%s</source>
        <translation>Village group: %s</translation>
    </message>
    <message>
        <source>未分组</source>
        <translation>no group</translation>
    </message>
    <message>
        <source>地址：%s</source>
        <translation>Address: %s</translation>
    </message>
    <message>
        <source>户主</source>
        <translation>Head of household</translation>
    </message>
    <message>
        <source>%s（待核对）</source>
        <translation>%s (to check)</translation>
    </message>
    <message>
        <source>这是与原户主 %s 的关系，%s 户主变更后还没有核对；选中后点“改关系”</source>
        <translation>This is the relation to the former head %s and has not been checked since the head changed on %s; select the member and click Change relation</translation>
    </message>
    <message>
        <source>（未记录）</source>
        <translation>(not recorded)</translation>
    </message>
    <message>
        <source>原户主</source>
        <translation>the former head</translation>
    </message>
    <message>
        <source>这是与原户主的关系，户主变更后还没有核对；选中后点“改关系”</source>
        <translation type="vanished">This is the relation to the former head and has not been checked since the head changed; select the member and click Change relation</translation>
    </message>
    <message>
        <source>户主已变更：标“待核对”的 %d 人与户主的关系还是对原户主的，请选中后点“改关系”（Alt+R）核对。</source>
        <translation>The head has changed: for the %d member(s) marked “to check” the relation is still the one to the former head. Select each and click Change relation (Alt+R).</translation>
    </message>
    <message>
        <source>关系待核对</source>
        <translation type="vanished">Relation to check</translation>
    </message>
    <message>
        <source>还有 %d 人与新户主的关系没有核对（标“待核对”）。关闭后不再标出，仍要关闭吗？</source>
        <translation type="vanished">The relation to the new head of %d member(s) has not been checked (marked “to check”). The marks are not kept after closing. Close anyway?</translation>
    </message>
    <message>
        <source>不能办理</source>
        <translation>Cannot be done</translation>
    </message>
    <message>
        <source>已办理</source>
        <translation>Done</translation>
    </message>
    <message>
        <source>还没有设置本村；请先在设置中选择本村</source>
        <translation>The village has not been set up yet; choose the village in Settings first</translation>
    </message>
    <message>
        <source>已迁入%s户。</source>
        <translation>Moved to the household of %s.</translation>
    </message>
    <message>
        <source>户主已变更。</source>
        <translation>The head of household has been changed.</translation>
    </message>
    <message>
        <source>户主已变更；请核对其他成员与新户主的关系。</source>
        <translation type="vanished">Head of household changed; check how the other members are related to the new head.</translation>
    </message>
    <message>
        <source>已单独立户，本人为户主。</source>
        <translation>Now a household of their own, as its head.</translation>
    </message>
</context>
<context>
    <name>IdleLock</name>
    <message>
        <source>请输入密码</source>
        <extracomment>True when the program has just been locked, False when it has been unlocked. Another user logged in through 切换用户 (the :class:`Actor`); the program rebuilds its window for them.</extracomment>
        <translation>Enter your password</translation>
    </message>
    <message>
        <source>请输入用户名和密码</source>
        <translation>Enter your user name and password</translation>
    </message>
</context>
<context>
    <name>ImportPage</name>
    <message>
        <source>第 4 步：正在导入</source>
        <translation>Step 4: importing</translation>
    </message>
    <message>
        <source>导入过程中可以随时取消；取消后本次不会写入任何数据。</source>
        <translation>You can cancel at any time while importing; if you cancel, nothing from this import is written.</translation>
    </message>
    <message>
        <source>取消导入(&amp;C)</source>
        <translation>&amp;Cancel import</translation>
    </message>
    <message>
        <source>正在写入 %d 人……</source>
        <extracomment>Called in the worker thread after each progress report (see :attr:`BackgroundJob.progress_hook`).</extracomment>
        <translation>Writing %d people…</translation>
    </message>
    <message>
        <source>正在录入 %d 人的参保登记……</source>
        <translation>Entering the registrations of %d people…</translation>
    </message>
    <message>
        <source>正在取消……</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <source>已写入 %d / %d 人……</source>
        <translation>Written %d of %d people…</translation>
    </message>
    <message>
        <source>导入完成：新增 %d 人，未变 %d 人，拒绝 %d 行</source>
        <translation>Import finished: %d added, %d unchanged, %d rows refused</translation>
    </message>
    <message>
        <source>已取消：本次导入没有写入任何数据</source>
        <translation>Cancelled: nothing from this import was written</translation>
    </message>
    <message>
        <source>没有导入：%s</source>
        <translation>Not imported: %s</translation>
    </message>
    <message>
        <source>第 4 步：导入花名册（可以跳过）</source>
        <translation>Step 4: import the roster (optional)</translation>
    </message>
    <message>
        <source>有县里或乡镇给的花名册 Excel 文件时，按“导入花名册”；没有就直接按“下一步”。</source>
        <translation>If you have a roster Excel file from the county or township, click &quot;Import roster&quot;; otherwise just click &quot;Next&quot;.</translation>
    </message>
    <message>
        <source>导入花名册(&amp;I)…</source>
        <translation>&amp;Import roster…</translation>
    </message>
    <message>
        <source>以后也可以在“人员/登记”页按“导入花名册”（Ctrl+I）导入。</source>
        <translation>You can also import later on the People page with &quot;Import roster&quot; (Ctrl+I).</translation>
    </message>
    <message>
        <source>已导入 %d 人。</source>
        <translation>%d people imported.</translation>
    </message>
</context>
<context>
    <name>ImportWizard</name>
    <message>
        <source>导入花名册</source>
        <translation>Import roster</translation>
    </message>
    <message>
        <source>&lt; 上一步(&amp;B)</source>
        <translation>&lt; &amp;Back</translation>
    </message>
    <message>
        <source>下一步(&amp;N) &gt;</source>
        <translation>&amp;Next &gt;</translation>
    </message>
    <message>
        <source>开始导入(&amp;I)</source>
        <translation>Start &amp;import</translation>
    </message>
    <message>
        <source>完成(&amp;F)</source>
        <translation>&amp;Finish</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>还没有设置本村，不能导入；请先在设置中选择本村</source>
        <translation>The village has not been set up, so nothing can be imported; choose the village in Settings first</translation>
    </message>
</context>
<context>
    <name>KeyFieldDialog</name>
    <message>
        <source>修改关键信息 — %s</source>
        <translation>Change key details — %s</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>公民身份号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>出生日期</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>例如：登记时姓名录错，按户口簿更正</source>
        <translation>e.g. name mistyped at registration, corrected from the household register</translation>
    </message>
    <message>
        <source>新的登记表和身份证复印件的档案编号，例如 2024-红旗-015</source>
        <translation>File number of the new registration form and ID card copy, e.g. 2024-HQ-015</translation>
    </message>
    <message>
        <source>要修改的项目(&amp;X)：</source>
        <translation>Detail to change (&amp;X):</translation>
    </message>
    <message>
        <source>改为(&amp;W)：</source>
        <translation>Ne&amp;w value:</translation>
    </message>
    <message>
        <source>变更原因(&amp;R)：</source>
        <translation>&amp;Reason for the change:</translation>
    </message>
    <message>
        <source>证明材料编号(&amp;E)：</source>
        <translation>Supporting docum&amp;ent no.:</translation>
    </message>
    <message>
        <source>原来的值：</source>
        <translation>Old value:</translation>
    </message>
    <message>
        <source>确认修改</source>
        <translation>Confirm change</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>关键信息的每次修改都会记录原值、新值、原因、证明材料、修改人和时间。</source>
        <translation>Every change to key details is recorded with the old value, new value, reason, supporting document, who made it and when.</translation>
    </message>
    <message>
        <source>年-月-日，例如 1966-07-15</source>
        <translation>year-month-day, e.g. 1966-07-15</translation>
    </message>
    <message>
        <source>新的18位身份证号（出生日期和性别随之更正）</source>
        <translation>New 18-digit ID number (date of birth and sex are corrected with it)</translation>
    </message>
</context>
<context>
    <name>LockCover</name>
    <message>
        <source>已锁定

请输入密码解锁</source>
        <extracomment>``verify(db_path, username, password)`` → the user&apos;s :class:`Actor`, or raises with a message for the user. The input that counts as someone being at the computer.</extracomment>
        <translation>Locked

Enter your password to unlock</translation>
    </message>
</context>
<context>
    <name>LockDialog</name>
    <message>
        <source>已锁定 — 城乡居保村级工作台</source>
        <translation>Locked — PensionDesk village workstation</translation>
    </message>
    <message>
        <source>程序已锁定</source>
        <translation>The program is locked</translation>
    </message>
    <message>
        <source>用户名(&amp;U)：</source>
        <translation>&amp;User name:</translation>
    </message>
    <message>
        <source>密码(&amp;P)：</source>
        <translation>&amp;Password:</translation>
    </message>
    <message>
        <source>解锁(&amp;J)</source>
        <translation>Unlock (&amp;J)</translation>
    </message>
    <message>
        <source>切换用户(&amp;Q)…</source>
        <translation>Switch user (&amp;Q)…</translation>
    </message>
    <message>
        <source>请输入要登录的用户名和密码。%s 没有保存的内容将被放弃。</source>
        <translation>Enter the user name and password to log in. %s Anything not saved will be discarded.</translation>
    </message>
    <message>
        <source>登录(&amp;L)</source>
        <translation>&amp;Log in</translation>
    </message>
    <message>
        <source>为保护村民信息，一段时间没有操作后程序会自动锁定。当前用户：%s（%s），请输入密码继续工作。</source>
        <translation>To protect villagers&apos; information, the program locks itself after a while without use. Current user: %s (%s). Enter your password to continue.</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>登录 — 城乡居保村级工作台</source>
        <extracomment>The demo database&apos;s file name (``pensiondesk --demo``) and its login, prefilled there.</extracomment>
        <translation>Log in — PensionDesk village workstation</translation>
    </message>
    <message>
        <source>请输入您的用户名和密码。数据库：%s</source>
        <translation>Enter your user name and password. Database: %s</translation>
    </message>
    <message>
        <source>用户名(&amp;U)：</source>
        <translation>&amp;User name:</translation>
    </message>
    <message>
        <source>密码(&amp;P)：</source>
        <translation>&amp;Password:</translation>
    </message>
    <message>
        <source>登录</source>
        <translation>Log in</translation>
    </message>
    <message>
        <source>退出</source>
        <translation>Exit</translation>
    </message>
    <message>
        <source>请输入用户名。</source>
        <translation>Enter your user name.</translation>
    </message>
    <message>
        <source>请输入密码。</source>
        <translation>Enter your password.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>今天的自动备份没有完成：%s</source>
        <translation>Today&apos;s automatic backup did not finish: %s</translation>
    </message>
    <message>
        <source>已自动备份：%s</source>
        <translation>Backed up automatically: %s</translation>
    </message>
    <message>
        <source>城乡居保村级工作台 — %s</source>
        <extracomment>文件 menu entries for the person list&apos;s actions (新增人员 Ctrl+N …). The manual&apos;s window (帮助 → 使用手册, F1), made the first time it is asked for.</extracomment>
        <translation>PensionDesk village workstation — %s</translation>
    </message>
    <message>
        <source>未设置村</source>
        <translation>no village set</translation>
    </message>
    <message>
        <source>人员/登记</source>
        <translation>People</translation>
    </message>
    <message>
        <source>快捷键 Alt+%d</source>
        <translation>Shortcut Alt+%d</translation>
    </message>
    <message>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <source>自动备份</source>
        <translation>Automatic backup</translation>
    </message>
    <message>
        <source>缴费/票据</source>
        <translation>Money</translation>
    </message>
    <message>
        <source>这里将用于登记参保人员的年度缴费，开具、作废村级收款票据，并按日进行票款结报（日结）。</source>
        <translation>This page will record the yearly contributions of insured people, issue and void village receipts, and close each day&apos;s takings.</translation>
    </message>
    <message>
        <source>缴费与票据功能将在后续版本提供，目前尚不能使用。</source>
        <translation>Payments and receipts will come in a later version and cannot be used yet.</translation>
    </message>
    <message>
        <source>待遇/认证</source>
        <translation>Pensioners</translation>
    </message>
    <message>
        <source>这里将用于办理待遇领取申请，登记每年的领取资格认证，并提醒到期未认证的人员。</source>
        <translation>This page will handle pension applications, record the yearly survival checks and remind you of people whose check is overdue.</translation>
    </message>
    <message>
        <source>待遇与认证功能将在后续版本提供，目前尚不能使用。</source>
        <translation>Pensions and survival checks will come in a later version and cannot be used yet.</translation>
    </message>
    <message>
        <source>公示/打印</source>
        <translation>Print</translation>
    </message>
    <message>
        <source>这里将用于生成待遇领取资格、认证结果、参保缴费等公示名单，并打印公示和各类表格。</source>
        <translation>This page will make the public lists (pension eligibility, survival checks, contributions) and print them and other forms.</translation>
    </message>
    <message>
        <source>公示与打印功能将在后续版本提供，目前尚不能使用。</source>
        <translation>Public notices and printing will come in a later version and cannot be used yet.</translation>
    </message>
    <message>
        <source>报表</source>
        <translation>Reports</translation>
    </message>
    <message>
        <source>这里将用于统计本村参保、缴费和待遇领取情况，并导出报表交乡镇和县经办机构。</source>
        <translation>This page will count the village&apos;s enrolment, contributions and pensions, and export reports for the township and county offices.</translation>
    </message>
    <message>
        <source>报表功能将在后续版本提供，目前尚不能使用。</source>
        <translation>Reports will come in a later version and cannot be used yet.</translation>
    </message>
    <message>
        <source>这里将用于与县级服务器交换数据；没有网络时，也可以用U盘传递离线数据包。</source>
        <translation>This page will exchange data with the county server; without a network, offline data packages can be carried on a USB stick.</translation>
    </message>
    <message>
        <source>同步功能将在后续版本提供，目前尚不能使用。</source>
        <translation>Sync will come in a later version and cannot be used yet.</translation>
    </message>
    <message>
        <source>设置</source>
        <translation>Settings</translation>
    </message>
    <message>
        <source>这里将用于设置本村信息、村民小组、操作员和打印机。</source>
        <translation>This page will set up the village, village groups, operators and printers.</translation>
    </message>
    <message>
        <source>设置功能将在后续版本提供，目前尚不能使用。</source>
        <translation>Settings will come in a later version and cannot be used yet.</translation>
    </message>
    <message>
        <source>文件(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <source>退出(&amp;X)</source>
        <translation>E&amp;xit</translation>
    </message>
    <message>
        <source>视图(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <source>查找人员</source>
        <translation>Find person</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <source>使用手册(&amp;M)…</source>
        <translation>User &amp;manual…</translation>
    </message>
    <message>
        <source>操作日志(&amp;L)…</source>
        <translation>Audit &amp;log…</translation>
    </message>
    <message>
        <source>关于(&amp;A)</source>
        <translation>&amp;About</translation>
    </message>
    <message>
        <source>村：未设置</source>
        <translation>Village: not set</translation>
    </message>
    <message>
        <source>村：%s（%s）</source>
        <translation>Village: %s (%s)</translation>
    </message>
    <message>
        <source>数据库：%s</source>
        <translation>Database: %s</translation>
    </message>
    <message>
        <source>同步：未连接县级服务器</source>
        <translation>Sync: not connected to the county server</translation>
    </message>
    <message>
        <source>操作员：%s（%s）</source>
        <translation>Operator: %s (%s)</translation>
    </message>
    <message>
        <source>操作员：%s</source>
        <translation>Operator: %s</translation>
    </message>
    <message>
        <source>用户名：%s</source>
        <translation>User name: %s</translation>
    </message>
    <message>
        <source>使用手册</source>
        <translation>User manual</translation>
    </message>
    <message>
        <source>这台电脑上没有找到使用手册（%s）。

使用手册在本程序安装文件夹的 docs 文件夹里；找不到时，请向乡镇或县社保经办机构索取，也可以请他们重新安装本程序。

查找过：
%s</source>
        <translation>The user manual was not found on this computer (%s).

The manual is in the docs folder of the program&apos;s installation folder. If it is missing, ask the township or county social security office for it, or ask them to reinstall the program.

Looked in:
%s</translation>
    </message>
    <message>
        <source>关于</source>
        <translation>About</translation>
    </message>
    <message>
        <source>城乡居保村级工作台 %s

供村级协办员登记参保人员、收缴费用、办理待遇认证和公示使用，无网络时也能工作。

界面字体：文泉驿微米黑 WenQuanYi Micro Hei（Apache License 2.0）。</source>
        <translation>PensionDesk village workstation %s

For village coordinators of the urban and rural residents&apos; pension scheme: register insured people, collect contributions, handle pensions and survival checks, and post public notices. Works without a network.

Screen font: WenQuanYi Micro Hei (Apache License 2.0).</translation>
    </message>
</context>
<context>
    <name>ManualViewer</name>
    <message>
        <source>使用手册</source>
        <extracomment>Headings deeper than this stay out of the table of contents. Space kept free beside a picture that fills the width (the document margin and a little air).</extracomment>
        <translation>User manual</translation>
    </message>
    <message>
        <source>目录</source>
        <translation>Contents</translation>
    </message>
    <message>
        <source>使用手册内容</source>
        <translation>Manual text</translation>
    </message>
    <message>
        <source>查找(&amp;F)：</source>
        <translation>&amp;Find:</translation>
    </message>
    <message>
        <source>输入要找的字，按回车找下一处</source>
        <translation>Type what to find and press Enter for the next match</translation>
    </message>
    <message>
        <source>下一处(&amp;N)</source>
        <translation>&amp;Next</translation>
    </message>
    <message>
        <source>上一处(&amp;P)</source>
        <translation>&amp;Previous</translation>
    </message>
    <message>
        <source>字大一点(&amp;D)</source>
        <translation>Larger text (&amp;D)</translation>
    </message>
    <message>
        <source>Ctrl + 加号</source>
        <translation>Ctrl + Plus</translation>
    </message>
    <message>
        <source>字小一点(&amp;S)</source>
        <translation>&amp;Smaller text</translation>
    </message>
    <message>
        <source>Ctrl + 减号</source>
        <translation>Ctrl + Minus</translation>
    </message>
    <message>
        <source>打印(&amp;R)…</source>
        <translation>P&amp;rint…</translation>
    </message>
    <message>
        <source>存为 PDF(&amp;E)…</source>
        <translation>Save as PDF (&amp;E)…</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>请先输入要找的字</source>
        <translation>Type what to find first</translation>
    </message>
    <message>
        <source>已从头再找</source>
        <translation>Searching again from the top</translation>
    </message>
    <message>
        <source>已从末尾再找</source>
        <translation>Searching again from the end</translation>
    </message>
    <message>
        <source>没有找到“%s”</source>
        <translation>&quot;%s&quot; not found</translation>
    </message>
    <message>
        <source>把使用手册存为 PDF</source>
        <translation>Save the manual as PDF</translation>
    </message>
    <message>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <source>已存为 %s</source>
        <translation>Saved as %s</translation>
    </message>
    <message>
        <source>打印使用手册</source>
        <translation>Print the manual</translation>
    </message>
</context>
<context>
    <name>MappingPage</name>
    <message>
        <source>第 2 步：核对每一列的内容</source>
        <translation>Step 2: check what each column holds</translation>
    </message>
    <message>
        <source>程序根据表头猜出了每一列是什么；如有不对，请在“对应内容”中改正。</source>
        <translation>The program guessed each column from its header; if a guess is wrong, correct it under &quot;Meaning&quot;.</translation>
    </message>
    <message>
        <source>列</source>
        <translation>Column</translation>
    </message>
    <message>
        <source>表头</source>
        <translation>Header</translation>
    </message>
    <message>
        <source>第一行的值</source>
        <translation>First row&apos;s value</translation>
    </message>
    <message>
        <source>对应内容</source>
        <translation>Meaning</translation>
    </message>
    <message>
        <source>识别把握</source>
        <translation>Confidence</translation>
    </message>
    <message>
        <source>（不导入）</source>
        <translation>(not imported)</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>确定</source>
        <translation>Sure</translation>
    </message>
    <message>
        <source>较确定</source>
        <translation>Fairly sure</translation>
    </message>
    <message>
        <source>请核对</source>
        <translation>Please check</translation>
    </message>
    <message>
        <source>还没有指定“%s”在哪一列；这几项必须有</source>
        <translation>No column has been chosen for &quot;%s&quot;; these are required</translation>
    </message>
</context>
<context>
    <name>MoneyPage</name>
    <message>
        <source>%s 元</source>
        <extracomment>Sends a PDF to paper: (file, what it is, e.g. 收据 HQ2026-00000001) → a sentence for the status line.</extracomment>
        <translation>%s yuan</translation>
    </message>
    <message>
        <source>没有找到打印机：%s已保存为 %s</source>
        <translation>No printer found: the %s was saved as %s</translation>
    </message>
    <message>
        <source>无法读取 %s，%s没有打印</source>
        <translation>Cannot read %s; the %s was not printed</translation>
    </message>
    <message>
        <source>打印机 %s 无法开始打印：%s已保存为 %s</source>
        <translation>Printer %s could not start: the %s was saved as %s</translation>
    </message>
    <message>
        <source>%s已送打印机 %s</source>
        <translation>The %s was sent to printer %s</translation>
    </message>
    <message>
        <source>收款</source>
        <translation>Collect</translation>
    </message>
    <message>
        <source>票据本</source>
        <translation>Receipt books</translation>
    </message>
    <message>
        <source>日结</source>
        <translation>Day close</translation>
    </message>
    <message>
        <source>催缴名单</source>
        <translation>Unpaid list</translation>
    </message>
    <message>
        <source>算账</source>
        <translation>Estimate</translation>
    </message>
    <message>
        <source>快捷键 Ctrl+%d</source>
        <translation>Shortcut Ctrl+%d</translation>
    </message>
</context>
<context>
    <name>MoveDialog</name>
    <message>
        <source>迁入他户</source>
        <translation>Move to another household</translation>
    </message>
    <message>
        <source>输入户主姓名，或户主身份证号后几位</source>
        <translation>Type the head&apos;s name, or the last digits of the head&apos;s ID number</translation>
    </message>
    <message>
        <source>查找户主：</source>
        <translation>Find head:</translation>
    </message>
    <message>
        <source>迁入的户：</source>
        <translation>Household to join:</translation>
    </message>
    <message>
        <source>与新户主关系：</source>
        <translation>Relation to new head:</translation>
    </message>
    <message>
        <source>迁入</source>
        <translation>Move</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>%s（%s，户号 %s，%d 人）</source>
        <translation>%s (%s, household no. %s, %d member(s))</translation>
    </message>
    <message>
        <source>未分组</source>
        <translation>no group</translation>
    </message>
    <message>
        <source>未填</source>
        <translation>not filled in</translation>
    </message>
    <message>
        <source>请先选择要迁入的户</source>
        <translation>Choose the household to join first</translation>
    </message>
    <message>
        <source>请选择与新户主的关系（用 ↑ ↓ 选），再按“迁入”</source>
        <translation>Choose the relation to the new head (↑ ↓), then press Move</translation>
    </message>
</context>
<context>
    <name>NewHeadDialog</name>
    <message>
        <source>变更户主</source>
        <translation>Change head of household</translation>
    </message>
    <message>
        <source>原户主</source>
        <translation>Former head</translation>
    </message>
    <message>
        <source>%s 与新户主的关系：</source>
        <translation>How %s is related to the new head:</translation>
    </message>
    <message>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>NoticesPage</name>
    <message>
        <source>按种类自动</source>
        <translation>Automatic for the list type</translation>
    </message>
    <message>
        <source>横向 A4</source>
        <translation>A4 landscape</translation>
    </message>
    <message>
        <source>纵向 A4</source>
        <translation>A4 portrait</translation>
    </message>
    <message>
        <source>2026（年度）或 2026-11（月份）</source>
        <translation>2026 (year) or 2026-11 (month)</translation>
    </message>
    <message>
        <source> 天</source>
        <translation> days</translation>
    </message>
    <message>
        <source>姓名第二个字显示为 *</source>
        <translation>Show the second character of names as *</translation>
    </message>
    <message>
        <source>生成公示(&amp;G)</source>
        <translation>&amp;Generate public list</translation>
    </message>
    <message>
        <source>公示种类：</source>
        <translation>List type:</translation>
    </message>
    <message>
        <source>期间：</source>
        <translation>Period:</translation>
    </message>
    <message>
        <source>村民小组：</source>
        <translation>Village group:</translation>
    </message>
    <message>
        <source>张贴日期：</source>
        <translation>Posted on:</translation>
    </message>
    <message>
        <source>公示天数：</source>
        <translation>Days on display:</translation>
    </message>
    <message>
        <source>纸张：</source>
        <translation>Paper:</translation>
    </message>
    <message>
        <source>新的公示</source>
        <translation>New public list</translation>
    </message>
    <message>
        <source>登记异议…</source>
        <translation>Record objection…</translation>
    </message>
    <message>
        <source>登记处理结果…</source>
        <translation>Record outcome…</translation>
    </message>
    <message>
        <source>公示期间的异议：</source>
        <translation>Objections during the display period:</translation>
    </message>
    <message>
        <source>已生成的公示（重印时名单与当时完全相同）：</source>
        <translation>Public lists made (a reprint shows exactly the same list):</translation>
    </message>
    <message>
        <source>%d 人，共 %d 页</source>
        <translation>%d people, %d page(s)</translation>
    </message>
    <message>
        <source>（未处理）</source>
        <translation>(open)</translation>
    </message>
    <message>
        <source>登记异议</source>
        <translation>Record objection</translation>
    </message>
    <message>
        <source>请先选中一份公示</source>
        <translation>Select a public list first</translation>
    </message>
    <message>
        <source>登记处理结果</source>
        <translation>Record outcome</translation>
    </message>
    <message>
        <source>请先选中一条异议</source>
        <translation>Select an objection first</translation>
    </message>
    <message>
        <source>核实和处理情况：</source>
        <translation>What was checked and done:</translation>
    </message>
</context>
<context>
    <name>ObjectionDialog</name>
    <message>
        <source>登记异议</source>
        <translation>Record objection</translation>
    </message>
    <message>
        <source>提出日期：</source>
        <translation>Date raised:</translation>
    </message>
    <message>
        <source>提出人：</source>
        <translation>Raised by:</translation>
    </message>
    <message>
        <source>异议内容：</source>
        <translation>Objection:</translation>
    </message>
</context>
<context>
    <name>OfflineVillagePage</name>
    <message>
        <source>第 1 步：离线设置本村</source>
        <translation>Step 1: set up the village offline</translation>
    </message>
    <message>
        <source>请照县社保局给的资料填写村代码和名称，以后有了登记码再到“同步”页登记。</source>
        <translation>Enter the village code and names from the county bureau&apos;s papers; enrol on the Sync page later, once you have an enrolment code.</translation>
    </message>
    <message>
        <source>12 位数字，例如 411099101201</source>
        <translation>12 digits, e.g. 411099101201</translation>
    </message>
    <message>
        <source>例如：红旗村</source>
        <translation>e.g. Hongqi Village</translation>
    </message>
    <message>
        <source>例如：青山镇</source>
        <translation>e.g. Qingshan Town</translation>
    </message>
    <message>
        <source>例如：安和县</source>
        <translation>e.g. Anhe County</translation>
    </message>
    <message>
        <source>村代码(&amp;C)：</source>
        <translation>Village &amp;code:</translation>
    </message>
    <message>
        <source>村名(&amp;V)：</source>
        <translation>&amp;Village name:</translation>
    </message>
    <message>
        <source>乡镇名(&amp;T)：</source>
        <translation>&amp;Township name:</translation>
    </message>
    <message>
        <source>县（区）名(&amp;X)：</source>
        <translation>County (district) name (&amp;X):</translation>
    </message>
    <message>
        <source>乡镇代码 %s，县（区）代码 %s（由村代码得出）</source>
        <translation>Township code %s, county (district) code %s (from the village code)</translation>
    </message>
    <message>
        <source>村代码的前 9 位是乡镇代码，前 6 位是县（区）代码。</source>
        <translation>The first 9 digits of the village code are the township code, the first 6 the county (district) code.</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <source>修改我的密码</source>
        <translation>Change my password</translation>
    </message>
    <message>
        <source>用户 %s：请输入现在的密码和新密码（至少 8 个字符）。</source>
        <translation>User %s: enter your current password and a new one (at least 8 characters).</translation>
    </message>
    <message>
        <source>现在的密码(&amp;O)：</source>
        <translation>Current password (&amp;O):</translation>
    </message>
    <message>
        <source>新密码(&amp;N)：</source>
        <translation>&amp;New password:</translation>
    </message>
    <message>
        <source>再输一遍(&amp;A)：</source>
        <translation>Once &amp;again:</translation>
    </message>
</context>
<context>
    <name>PdfPreview</name>
    <message>
        <source>还没有可预览的内容</source>
        <translation>Nothing to preview yet</translation>
    </message>
    <message>
        <source>打印(&amp;P)…</source>
        <translation>&amp;Print…</translation>
    </message>
    <message>
        <source>另存为PDF(&amp;S)…</source>
        <translation>&amp;Save as PDF…</translation>
    </message>
    <message>
        <source>（此电脑不能预览 PDF，请另存后用其他程序查看）</source>
        <translation>(This computer cannot preview PDF files; save it and open it with another program)</translation>
    </message>
    <message>
        <source>共 %d 页</source>
        <translation>%d page(s)</translation>
    </message>
    <message>
        <source>另存为PDF</source>
        <translation>Save as PDF</translation>
    </message>
    <message>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <source>无法保存</source>
        <translation>Could not save</translation>
    </message>
    <message>
        <source>无法保存文件 %s：%s</source>
        <translation>Could not save the file %s: %s</translation>
    </message>
    <message>
        <source>已保存：%s</source>
        <translation>Saved: %s</translation>
    </message>
    <message>
        <source>打印</source>
        <translation>Print</translation>
    </message>
    <message>
        <source>无法打印</source>
        <translation>Could not print</translation>
    </message>
    <message>
        <source>打印机无法开始打印，请检查打印机是否连接、是否缺纸。</source>
        <translation>The printer could not start. Check that it is connected and has paper.</translation>
    </message>
    <message>
        <source>已送打印机：%d 页</source>
        <translation>Sent to the printer: %d page(s)</translation>
    </message>
</context>
<context>
    <name>PdfPreviewDialog</name>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>PensionerWidgets</name>
    <message>
        <source>无法办理</source>
        <extracomment>Resolution pages are rendered at for the printer: sharp text, files a village printer accepts quickly.</extracomment>
        <translation>Cannot be done</translation>
    </message>
</context>
<context>
    <name>PensionersPage</name>
    <message>
        <source>到龄(60岁)(&amp;A)</source>
        <extracomment>Names a death-list confirmation spells out before &quot;等&quot; (the count is always given in full).</extracomment>
        <translation>Turning 60 (&amp;A)</translation>
    </message>
    <message>
        <source>资格认证(&amp;C)</source>
        <translation>Survival &amp;checks</translation>
    </message>
    <message>
        <source>死亡注销(&amp;D)</source>
        <translation>&amp;Deaths</translation>
    </message>
</context>
<context>
    <name>PersonActions</name>
    <message>
        <source>新增人员</source>
        <translation>New person</translation>
    </message>
    <message>
        <source>登记一位新的村民（Ctrl+N）</source>
        <translation>Register a new villager (Ctrl+N)</translation>
    </message>
    <message>
        <source>修改</source>
        <translation>Edit</translation>
    </message>
    <message>
        <source>修改选中人员的信息（回车或双击）</source>
        <translation>Edit the selected person&apos;s details (Enter or double-click)</translation>
    </message>
    <message>
        <source>家庭</source>
        <translation>Household</translation>
    </message>
    <message>
        <source>查看选中人员的家庭成员（Ctrl+H）</source>
        <translation>Show the selected person&apos;s household (Ctrl+H)</translation>
    </message>
    <message>
        <source>参保登记</source>
        <translation>Register</translation>
    </message>
    <message>
        <source>为选中的未参保人员录入参保登记（Ctrl+G）</source>
        <translation>Enter the registration of the selected person who is not enrolled (Ctrl+G)</translation>
    </message>
    <message>
        <source>导入花名册…</source>
        <translation>Import roster…</translation>
    </message>
    <message>
        <source>从 Excel 花名册批量登记（Ctrl+I）</source>
        <translation>Register many people from an Excel roster (Ctrl+I)</translation>
    </message>
    <message>
        <source>导出花名册…</source>
        <translation>Export roster…</translation>
    </message>
    <message>
        <source>把全村人员导出为 Excel 花名册（Ctrl+E）</source>
        <translation>Export everyone in the village to an Excel roster (Ctrl+E)</translation>
    </message>
    <message>
        <source>审核</source>
        <translation>Review</translation>
    </message>
    <message>
        <source>村级初审和退回的登记（Ctrl+R）</source>
        <translation>Village first review and returned registrations (Ctrl+R)</translation>
    </message>
    <message>
        <source>疑似重复</source>
        <translation>Duplicates</translation>
    </message>
    <message>
        <source>排查姓名和出生日期相同、或身份证号只差一位的疑似重复登记（Ctrl+D）</source>
        <translation>Check for likely duplicate registrations: same name and birth date, or ID numbers one digit apart (Ctrl+D)</translation>
    </message>
    <message>
        <source>查看</source>
        <translation>View</translation>
    </message>
    <message>
        <source>查看选中人员的信息（回车或双击）；复核员不能修改</source>
        <translation>View the selected person&apos;s details (Enter or double-click); a reviewer cannot change them</translation>
    </message>
    <message>
        <source>回车</source>
        <translation>Enter</translation>
    </message>
    <message>
        <source>%s（%s）</source>
        <translation>%s (%s)</translation>
    </message>
    <message>
        <source>请先选择人员</source>
        <translation>Select a person first</translation>
    </message>
    <message>
        <source>请先在列表中选中一个人。</source>
        <translation>Select a person in the list first.</translation>
    </message>
    <message>
        <source>已录入%s的参保登记，请另一位工作人员在“审核”中初审</source>
        <translation>Registration of %s entered; another staff member must check it under “Review”</translation>
    </message>
    <message>
        <source>已录入 %d 人的参保登记，%d 人未登记；请另一位工作人员在“审核”中初审</source>
        <translation>Registrations of %d people entered, %d not registered; another staff member must check them under “Review”</translation>
    </message>
    <message>
        <source>还没有设置本村，不能导出花名册；请先在设置中选择本村</source>
        <translation>The village has not been set up, so no roster can be exported; choose the village in Settings first</translation>
    </message>
    <message>
        <source>%s参保花名册.xlsx</source>
        <translation>%s insured roster.xlsx</translation>
    </message>
    <message>
        <source>导出花名册</source>
        <translation>Export roster</translation>
    </message>
    <message>
        <source>Excel 文件 (*.xlsx)</source>
        <translation>Excel files (*.xlsx)</translation>
    </message>
    <message>
        <source>不能写入“%s”：文件可能正在 Excel 中打开，请关闭后重试</source>
        <translation>Cannot write &quot;%s&quot;: the file may be open in Excel. Close it and try again</translation>
    </message>
    <message>
        <source>不能写入“%s”：%s</source>
        <translation>Cannot write &quot;%s&quot;: %s</translation>
    </message>
    <message>
        <source>导出完成</source>
        <translation>Export finished</translation>
    </message>
    <message>
        <source>已导出 %d 人到：
%s</source>
        <translation>Exported %d people to:
%s</translation>
    </message>
</context>
<context>
    <name>PersonForm</name>
    <message>
        <source>查看人员信息 — %s</source>
        <extracomment>Pause after the last keystroke before the form is checked. Something was typed or chosen since the form opened (Esc and 取消 then ask before closing). A 复核员 sees the form but never changes anything (domain.md §14): every field read-only, no 保存.</extracomment>
        <translation>Person details — %s</translation>
    </message>
    <message>
        <source>新增人员</source>
        <translation>New person</translation>
    </message>
    <message>
        <source>修改人员信息 — %s</source>
        <translation>Edit person — %s</translation>
    </message>
    <message>
        <source>与身份证上一致</source>
        <translation>As on the ID card</translation>
    </message>
    <message>
        <source>18位，最后一位可以是X</source>
        <translation>18 characters; the last may be X</translation>
    </message>
    <message>
        <source>（由身份证号自动填写）</source>
        <translation>(filled in from the ID number)</translation>
    </message>
    <message>
        <source>由身份证号自动填写，例如 1966-07-15</source>
        <translation>Filled in from the ID number, e.g. 1966-07-15</translation>
    </message>
    <message>
        <source>例如：汉族</source>
        <translation>e.g. Han</translation>
    </message>
    <message>
        <source>手机号11位，或座机号</source>
        <translation>11-digit mobile number, or a landline</translation>
    </message>
    <message>
        <source>户口簿上的地址</source>
        <translation>Address in the household register</translation>
    </message>
    <message>
        <source>现在住的地方</source>
        <translation>Where the person lives now</translation>
    </message>
    <message>
        <source>选择或输入村民小组</source>
        <translation>Choose or type the village group</translation>
    </message>
    <message>
        <source>（未填）</source>
        <translation>(not entered)</translation>
    </message>
    <message>
        <source>本人是户主时不填</source>
        <translation>Leave empty if the person is the head of household</translation>
    </message>
    <message>
        <source>同名户主多时填写</source>
        <translation>Fill in when several heads have the same name</translation>
    </message>
    <message>
        <source>修改关键信息…</source>
        <translation type="vanished">Change key details…</translation>
    </message>
    <message>
        <source>姓名、身份证号、出生日期、性别需填写变更原因和证明材料后才能修改</source>
        <translation>Name, ID number, date of birth and sex can only be changed with a reason and a supporting document</translation>
    </message>
    <message>
        <source>查看该人员</source>
        <translation type="vanished">Show this person</translation>
    </message>
    <message>
        <source>修改关键信息(&amp;E)…</source>
        <translation>Change key d&amp;etails…</translation>
    </message>
    <message>
        <source>查看该人员(&amp;V)</source>
        <translation>&amp;View this person</translation>
    </message>
    <message>
        <source>姓名(&amp;N)：</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>公民身份号码(&amp;I)：</source>
        <translation>&amp;ID number:</translation>
    </message>
    <message>
        <source>性别(&amp;X)：</source>
        <translation>Se&amp;x:</translation>
    </message>
    <message>
        <source>出生日期(&amp;B)：</source>
        <translation>Date of &amp;birth:</translation>
    </message>
    <message>
        <source>民族(&amp;M)：</source>
        <translation>Ethnic group (&amp;M):</translation>
    </message>
    <message>
        <source>联系电话(&amp;P)：</source>
        <translation>&amp;Phone:</translation>
    </message>
    <message>
        <source>户籍所在地(&amp;K)：</source>
        <translation>Registered residence (&amp;K):</translation>
    </message>
    <message>
        <source>居住地址(&amp;D)：</source>
        <translation>Home a&amp;ddress:</translation>
    </message>
    <message>
        <source>村民小组(&amp;G)：</source>
        <translation>Village &amp;group:</translation>
    </message>
    <message>
        <source>与户主关系(&amp;R)：</source>
        <translation>&amp;Relation to head:</translation>
    </message>
    <message>
        <source>户主姓名(&amp;T)：</source>
        <translation>Head&apos;s name (&amp;T):</translation>
    </message>
    <message>
        <source>户主身份证号(&amp;U)：</source>
        <translation>Head&apos;s ID n&amp;umber:</translation>
    </message>
    <message>
        <source>参保身份（可多选）</source>
        <translation type="vanished">Category (choose any that apply)</translation>
    </message>
    <message>
        <source>参保身份（可多选；都不选即为“普通”）</source>
        <translation>Category (choose any that apply; none means &quot;ordinary&quot;)</translation>
    </message>
    <message>
        <source>参保身份和证明材料(&amp;C)…</source>
        <translation>&amp;Categories and proof…</translation>
    </message>
    <message>
        <source>补登低保、特困、残疾等身份的证明材料编号和有效期，或增加参保身份</source>
        <translation>Enter the proof document number and validity of a subsistence allowance, extreme poverty, disability or other category, or add a category</translation>
    </message>
    <message>
        <source>参保条件</source>
        <translation>Eligibility</translation>
    </message>
    <message>
        <source>户籍在本村</source>
        <translation>Registered in this village</translation>
    </message>
    <message>
        <source>全日制学生</source>
        <translation>Full-time student</translation>
    </message>
    <message>
        <source>已参加职工养老保险</source>
        <translation>Already in the employees&apos; pension scheme</translation>
    </message>
    <message>
        <source>享受其他国家养老保障</source>
        <translation>Has another state pension</translation>
    </message>
    <message>
        <source>机关事业单位在编</source>
        <translation>Civil servant or public institution staff</translation>
    </message>
    <message>
        <source>外出务工</source>
        <translation>Working away from home</translation>
    </message>
    <message>
        <source>保存(&amp;S)</source>
        <translation>&amp;Save</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>姓名、身份证号、出生日期、性别是关键信息，要点“修改关键信息…”并登记原因和证明材料；村民小组、户主和与户主关系请在“家庭”中办理。</source>
        <translation>Name, ID number, date of birth and sex are key details: click &quot;Change key details…&quot; and record a reason and a supporting document. Change the village group, head of household and relation to the head under &quot;Household&quot;.</translation>
    </message>
    <message>
        <source>关键信息：请点“修改关键信息…”</source>
        <translation>Key detail: click &quot;Change key details…&quot;</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <source>出生日期请按 年-月-日 填写，例如 1966-07-15</source>
        <translation>Enter the date of birth as year-month-day, e.g. 1966-07-15</translation>
    </message>
    <message>
        <source>还没有设置本村，不能登记人员；请先在设置中选择本村</source>
        <translation>The village has not been set up, so nobody can be registered; choose the village in Settings first</translation>
    </message>
    <message>
        <source>“%s”还没有登记证明材料编号和有效期：请点“参保身份和证明材料…”补登</source>
        <translation>&quot;%s&quot; has no proof document number or validity yet: enter them under &quot;Categories and proof…&quot;</translation>
    </message>
    <message>
        <source>“%s %s”属于困难群体：保存后请登记证明材料编号和有效期</source>
        <translation>&quot;%s %s&quot; is a hardship category: after saving, enter its proof document number and validity</translation>
    </message>
    <message>
        <source>请填写姓名和公民身份号码</source>
        <translation>Enter the name and the ID number</translation>
    </message>
    <message>
        <source>还有 %d 处需要改正，改好后才能保存</source>
        <translation>%d thing(s) still need correcting before you can save</translation>
    </message>
    <message>
        <source>有提示（黄色），请核对后再保存</source>
        <translation>There are warnings (yellow): check them, then save</translation>
    </message>
    <message>
        <source>可以保存</source>
        <translation>Ready to save</translation>
    </message>
    <message>
        <source>放弃填写的内容？</source>
        <translation>Discard what you typed?</translation>
    </message>
    <message>
        <source>放弃填写的内容？

刚才填写的内容还没有保存，放弃后不能找回。</source>
        <translation>Discard what you typed?

What you just entered has not been saved; once discarded it cannot be recovered.</translation>
    </message>
    <message>
        <source>放弃(&amp;D)</source>
        <translation>&amp;Discard</translation>
    </message>
    <message>
        <source>继续填写(&amp;C)</source>
        <translation>&amp;Continue editing</translation>
    </message>
    <message>
        <source>疑似重复登记</source>
        <translation>Possible duplicate</translation>
    </message>
    <message>
        <source>%s

确实不是同一个人吗？选“是”仍然保存，选“否”返回核对。</source>
        <translation>%s

Are you sure this is not the same person? Choose &quot;Yes&quot; to save anyway, &quot;No&quot; to go back and check.</translation>
    </message>
    <message>
        <source>不能保存</source>
        <translation>Cannot save</translation>
    </message>
    <message>
        <source>新建村民小组</source>
        <translation>New villager group</translation>
    </message>
    <message>
        <source>一个新的村民小组“%s”将被创建，确定吗？

如果是笔误，请选“取消”，改成已有的小组名称。</source>
        <translation>A new villager group “%s” will be created. Are you sure?

If it is a typing mistake, choose Cancel and change it to the name of an existing group.</translation>
    </message>
    <message>
        <source>新建并保存(&amp;Y)</source>
        <translation>&amp;Yes, create and save</translation>
    </message>
</context>
<context>
    <name>PersonPage</name>
    <message>
        <source>查找：姓名、身份证号或拼音首字母</source>
        <extracomment>Pause after the last keystroke before the list is filtered: one query per word, not per letter. The sync page is built this long after the window opens (it fills the status bar&apos;s 同步 field). Ids the person list loads before its first paint; the rest follow right after (PersonTableModel first_ids). The coordinators&apos; manual (使用手册), in ``docs/`` beside ``resources/`` (checkout or bundle); Help → F1 opens it.</extracomment>
        <translation>Find: name, ID number or pinyin initials</translation>
    </message>
    <message>
        <source>例如：张三&#x3000;或&#x3000;zsf&#x3000;或&#x3000;身份证号后四位 1768</source>
        <translation>e.g. a name, zsf (pinyin initials) or the last four digits of the ID number, 1768</translation>
    </message>
    <message>
        <source>共 %d 人</source>
        <translation>%d people</translation>
    </message>
    <message>
        <source>找到 %d 人（共 %d 人）</source>
        <translation>Found %d (of %d people)</translation>
    </message>
    <message>
        <source>没有找到符合条件的人员</source>
        <translation>Nobody matches</translation>
    </message>
</context>
<context>
    <name>PersonTableModel</name>
    <message>
        <source>序号</source>
        <extracomment>Something that opens a database session for a ``with`` block (``Database.session`` in the application). The role under which every cell answers its person&apos;s id. Background of a relation still to check (the household window&apos;s 待核对 colour). Rows fetched together when a row is missing: about four screenfuls, centred on the row asked for. Most rows kept in memory; the least recently painted are dropped first.</extracomment>
        <translation>No.</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>出生日期</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>公民身份号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>村民小组</source>
        <translation>Village group</translation>
    </message>
    <message>
        <source>与户主关系</source>
        <translation>Relation</translation>
    </message>
    <message>
        <source>参保状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>户主已变更为 %s，这是与原户主的关系，还没有核对；按 Ctrl+H 打开“家庭”核对</source>
        <translation>The head is now %s; this is the relation to the former head and has not been checked; press Ctrl+H to check it in Household</translation>
    </message>
    <message>
        <source>户主：%s</source>
        <translation>Head: %s</translation>
    </message>
    <message>
        <source>%s（待核对）</source>
        <translation>%s (to check)</translation>
    </message>
</context>
<context>
    <name>PreviewPage</name>
    <message>
        <source>第 3 步：预览检查结果</source>
        <translation>Step 3: check the results</translation>
    </message>
    <message>
        <source>绿色的行将新增，灰色的行已在库中（不变），红色的行有错误、不会导入。</source>
        <translation>Green rows will be added, grey rows are already there (unchanged), red rows have errors and will not be imported.</translation>
    </message>
    <message>
        <source>只看有问题的行(&amp;P)</source>
        <translation>Show only &amp;problem rows</translation>
    </message>
    <message>
        <source>行号</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>公民身份号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>问题说明</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>新增 %d 人，未变 %d 人，拒绝 %d 行</source>
        <translation>%d to add, %d unchanged, %d rows refused</translation>
    </message>
    <message>
        <source>（另有 %d 行有提示，仍会导入）</source>
        <translation>(%d more rows have warnings but will still be imported)</translation>
    </message>
    <message>
        <source>工作表“%s”，表头在第 %d 行。</source>
        <translation type="vanished">Sheet &quot;%s&quot;, header on row %d.</translation>
    </message>
    <message>
        <source>没有姓名和身份证号、已跳过的行：%s</source>
        <translation>Rows without a name and ID number, skipped: %s</translation>
    </message>
    <message>
        <source>新增（有提示）</source>
        <translation>Add (with warning)</translation>
    </message>
    <message>
        <source>同时按表中的缴费档次录入参保登记（%d 人）(&amp;G)</source>
        <translation>Also enter re&amp;gistrations with the tiers in the file (%d people)</translation>
    </message>
    <message>
        <source>%d 人已有相同档次的参保登记，不重复录入。</source>
        <translation>%d people already have a registration with the same tier; it is not entered again.</translation>
    </message>
    <message>
        <source>%d 人不能录入参保登记（原因见“问题说明”），不影响人员导入。</source>
        <translation>%d people cannot be registered (see &quot;Problem&quot; for why); this does not stop their import.</translation>
    </message>
    <message>
        <source>录入后请另一位工作人员在“审核”中初审。</source>
        <translation>Another staff member must then check them under &quot;Review&quot;.</translation>
    </message>
    <message>
        <source>开始导入 %d 人(&amp;I)</source>
        <translation>&amp;Import %d people</translation>
    </message>
    <message>
        <source>录入参保登记 %d 人(&amp;I)</source>
        <translation>Reg&amp;ister %d people</translation>
    </message>
    <message>
        <source>完成检查(&amp;I)</source>
        <translation>F&amp;inish check</translation>
    </message>
</context>
<context>
    <name>PrintPage</name>
    <message>
        <source>公示名单(&amp;L)</source>
        <extracomment>Who prints when nobody logged in and no operator is given (a database without users). Pages are rendered for the printer at this resolution at most (a 600 dpi A4 image would take 140 MB).</extracomment>
        <translation>Public &amp;lists</translation>
    </message>
    <message>
        <source>通知/宣传单(&amp;N)</source>
        <translation>&amp;Notices/leaflets</translation>
    </message>
    <message>
        <source>公示名单（待遇领取资格、认证结果、参保缴费、死亡注销、集体补助等公示）将在后续版本提供，目前尚不能使用。通知和宣传单请在“通知/宣传单”中打印。</source>
        <translation>Public lists (pension eligibility, survival checks, contributions, deaths, collective subsidies) will come in a later version and cannot be used yet. Print notices and leaflets under &quot;Notices/leaflets&quot;.</translation>
    </message>
</context>
<context>
    <name>PrinterPage</name>
    <message>
        <source>第 3 步：打印机</source>
        <translation>Step 3: printer</translation>
    </message>
    <message>
        <source>请选择打收据和公示用的打印机；用县里预印的收据纸时，再试打一张校准页。</source>
        <translation>Choose the printer for receipts and notices; if you use the county&apos;s pre-printed receipt paper, also print a calibration page.</translation>
    </message>
    <message>
        <source>打印机(&amp;P)：</source>
        <translation>&amp;Printer:</translation>
    </message>
    <message>
        <source>这台电脑还没有安装打印机。没关系：收据、公示等会保存为 PDF 文件（在数据文件夹的 printouts 里），装好打印机后可以再打印，也可以回到这里选择。</source>
        <translation>No printer is installed on this computer. That is fine: receipts, notices and so on are saved as PDF files (in the printouts folder of the data folder). Print them once a printer is installed, or come back here to choose it.</translation>
    </message>
</context>
<context>
    <name>Reaching60Tab</name>
    <message>
        <source> 个月内</source>
        <translation> month(s)</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>打印通知表(&amp;N)…</source>
        <translation>Print &amp;notice forms…</translation>
    </message>
    <message>
        <source>登记已通知…</source>
        <translation>Record as notified…</translation>
    </message>
    <message>
        <source>上报</source>
        <translation>Submit</translation>
    </message>
    <message>
        <source>登记审核结果…</source>
        <translation>Record decision…</translation>
    </message>
    <message>
        <source>年满60周岁(&amp;M)：</source>
        <translation>Turning 60 within (&amp;M):</translation>
    </message>
    <message>
        <source>村民小组</source>
        <translation>Village group</translation>
    </message>
    <message>
        <source>选中一行或多行后办理；不选时“打印通知表”打印全部。已满60周岁仍未办结的人员也列在表中。</source>
        <translation>Select rows to act on; with none selected, &quot;Print notice forms&quot; prints everyone. People already 60 whose case is still open are listed too.</translation>
    </message>
    <message>
        <source>未办理</source>
        <translation>Not started</translation>
    </message>
    <message>
        <source>共 %d 人</source>
        <translation>%d people</translation>
    </message>
    <message>
        <source>打印通知表</source>
        <translation>Print notice forms</translation>
    </message>
    <message>
        <source>名单中没有人员</source>
        <translation>Nobody in the list</translation>
    </message>
    <message>
        <source>待遇领取通知表</source>
        <translation>Pension notice form</translation>
    </message>
    <message>
        <source>登记已通知</source>
        <translation>Record as notified</translation>
    </message>
    <message>
        <source>请先选中已经通知并签字的人员</source>
        <translation>Select the people who have been told and have signed first</translation>
    </message>
    <message>
        <source>通知（签字或按手印）日期：</source>
        <translation>Date told (signed or thumbprinted):</translation>
    </message>
    <message>
        <source>请先选中要上报的人员</source>
        <translation>Select the people to submit first</translation>
    </message>
    <message>
        <source>请先登记通知日期（本人已在待遇领取通知表上签字或按手印），再上报</source>
        <translation>First record the date the person was told (signed or thumbprinted the pension notice form), then submit</translation>
    </message>
    <message>
        <source> 等</source>
        <translation> and others</translation>
    </message>
    <message>
        <source>确定要把 %d 人的待遇领取申请上报乡镇和县社保机构吗？

%s

上报后村里不能再修改或撤回，要等乡镇、县里审核；退回后才能改了再报。</source>
        <translation>Submit the pension applications of %d people to the township and county social security offices?

%s

Once submitted, the village cannot change or withdraw them until the township and county have reviewed them; only a returned application can be corrected and submitted again.</translation>
    </message>
    <message>
        <source>上报 %d 人(&amp;Y)</source>
        <translation>Submit %d people (&amp;Y)</translation>
    </message>
    <message>
        <source>登记审核结果</source>
        <translation>Record decision</translation>
    </message>
    <message>
        <source>请选中一个人员</source>
        <translation>Select one person</translation>
    </message>
    <message>
        <source>这个人员还没有上报，不能登记审核结果</source>
        <translation>This person has not been submitted yet, so no decision can be recorded</translation>
    </message>
</context>
<context>
    <name>ReceiptCalibration</name>
    <message>
        <source>套打校准（收据打在县里预印的收据纸上时使用）</source>
        <extracomment>Prints a PDF and says what happened (see money_page.send_to_printer); tests pass their own. (text in Chinese, whether it is an error)</extracomment>
        <translation>Overlay calibration (when receipts are printed on the county&apos;s pre-printed paper)</translation>
    </message>
    <message>
        <source>水平偏移(&amp;R)：</source>
        <translation>Ho&amp;rizontal offset:</translation>
    </message>
    <message>
        <source>垂直偏移(&amp;D)：</source>
        <translation>Vertical offset (&amp;D):</translation>
    </message>
    <message>
        <source>保存偏移(&amp;S)</source>
        <translation>&amp;Save offsets</translation>
    </message>
    <message>
        <source>打印校准页(&amp;T)</source>
        <translation>Print &amp;test page</translation>
    </message>
    <message>
        <source>毫米</source>
        <translation>mm</translation>
    </message>
    <message>
        <source>先打印校准页，放在预印收据纸上对着看：字印得偏左或偏上时，填正数往右、往下移；偏右或偏下时填负数（例如 1.5 或 -2）。保存后再打印一张核对。</source>
        <translation>Print the calibration page and hold it against the pre-printed receipt paper. If the text is too far left or up, enter positive numbers to move it right or down; if too far right or down, negative numbers (e.g. 1.5 or -2). Save, then print another page to check.</translation>
    </message>
    <message>
        <source>套打偏移已保存：水平 %s 毫米，垂直 %s 毫米</source>
        <translation>Overlay offsets saved: horizontal %s mm, vertical %s mm</translation>
    </message>
    <message>
        <source>无法生成校准页（%s）：%s</source>
        <translation>Could not make the calibration page (%s): %s</translation>
    </message>
    <message>
        <source>套打校准页</source>
        <translation>Overlay calibration page</translation>
    </message>
</context>
<context>
    <name>RecoveryKeyPage</name>
    <message>
        <source>第 2 步：恢复密钥（只显示这一次）</source>
        <translation>Step 2: recovery key (shown only this once)</translation>
    </message>
    <message>
        <source>请把下面的恢复密钥打印或抄在纸上，锁进村委会保险柜，然后打勾。</source>
        <translation>Print the recovery key below or copy it onto paper, lock it in the village committee&apos;s safe, then tick the box.</translation>
    </message>
    <message>
        <source>打印恢复密钥(&amp;P)</source>
        <translation>&amp;Print recovery key</translation>
    </message>
    <message>
        <source>另存为 PDF（存到U盘）(&amp;S)…</source>
        <translation>&amp;Save as PDF (to a USB stick)…</translation>
    </message>
    <message>
        <source>我已抄下或打印并放入保险柜(&amp;K)</source>
        <translation>I have copied or printed it and put it in the safe (&amp;K)</translation>
    </message>
    <message>
        <source>所有人都忘了密码时，只有这把恢复密钥能打开数据。程序里不会再显示它；不要贴在电脑上，不要拍照发到微信群。</source>
        <translation>If everyone forgets their password, only this recovery key can open the data. The program will not show it again. Do not stick it on the computer or post a photo of it in a chat group.</translation>
    </message>
    <message>
        <source>这台电脑没有打印机。请把恢复密钥抄在纸上，或按“另存为 PDF”存到U盘，到有打印机的电脑上打印。</source>
        <translation>This computer has no printer. Copy the recovery key onto paper, or use &quot;Save as PDF&quot; to put it on a USB stick and print it on a computer with a printer.</translation>
    </message>
    <message>
        <source>恢复密钥</source>
        <translation>Recovery key</translation>
    </message>
    <message>
        <source>恢复密钥另存为</source>
        <translation>Save recovery key as</translation>
    </message>
    <message>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <source>没能保存（%s）：%s</source>
        <translation>Could not save (%s): %s</translation>
    </message>
    <message>
        <source>已保存为 %s。打印后请删除这个文件，不要把它留在这台电脑或U盘上。</source>
        <translation>Saved as %s. Delete the file after printing it; do not leave it on this computer or the USB stick.</translation>
    </message>
</context>
<context>
    <name>RecoveryResetDialog</name>
    <message>
        <source>用恢复密钥重设密码</source>
        <translation>Reset a password with the recovery key</translation>
    </message>
    <message>
        <source>忘了密码时，请从保险柜取出恢复密钥单，照着输入恢复密钥，再为这个用户设新密码。</source>
        <translation>When a password is forgotten, take the recovery key sheet from the safe, type the recovery key as written, then give the user a new password.</translation>
    </message>
    <message>
        <source>恢复密钥(&amp;K)：</source>
        <translation>Recovery &amp;key:</translation>
    </message>
    <message>
        <source>6 组，每组 5 个字母或数字，例如 K7QM2-…</source>
        <translation>6 groups of 5 letters or digits, e.g. K7QM2-…</translation>
    </message>
    <message>
        <source>用户名(&amp;U)：</source>
        <translation>&amp;User name:</translation>
    </message>
    <message>
        <source>新密码(&amp;N)：</source>
        <translation>&amp;New password:</translation>
    </message>
    <message>
        <source>再输一遍(&amp;A)：</source>
        <translation>Once &amp;again:</translation>
    </message>
</context>
<context>
    <name>RegistrationDialog</name>
    <message>
        <source>参保登记 — %s</source>
        <translation>Registration — %s</translation>
    </message>
    <message>
        <source>姓名：</source>
        <translation>Name:</translation>
    </message>
    <message>
        <source>公民身份号码：</source>
        <translation>ID number:</translation>
    </message>
    <message>
        <source>年龄：</source>
        <translation>Age:</translation>
    </message>
    <message>
        <source>登记日期(&amp;D)：</source>
        <translation>Registration &amp;date:</translation>
    </message>
    <message>
        <source>参保身份(&amp;C)：</source>
        <translation>&amp;Category:</translation>
    </message>
    <message>
        <source>缴费档次(&amp;T)：</source>
        <translation>Contribution &amp;tier:</translation>
    </message>
    <message>
        <source>登记后由另一位工作人员在“审核”中初审，初审通过后上报；县里审核通过后才算参保。</source>
        <translation>After entry, another staff member checks it under “Review”; once checked it is submitted. The person is enrolled only when the county approves.</translation>
    </message>
    <message>
        <source>登记(&amp;S)</source>
        <translation>Regi&amp;ster</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>%d 周岁（%s 出生）</source>
        <translation>%d years old (born %s)</translation>
    </message>
    <message>
        <source>普通</source>
        <translation>ordinary</translation>
    </message>
    <message>
        <source>%s（自动）</source>
        <translation>%s (automatic)</translation>
    </message>
    <message>
        <source>%s（未登记该身份）</source>
        <translation>%s (not recorded for this person)</translation>
    </message>
    <message>
        <source>暂不选择</source>
        <extracomment>People registered per transaction by :class:`BulkRegistrationDialog` (the write lock is let go in between).</extracomment>
        <translation>Not chosen yet</translation>
    </message>
    <message>
        <source>%s 元</source>
        <translation>%s yuan</translation>
    </message>
</context>
<context>
    <name>RelationDialog</name>
    <message>
        <source>户主</source>
        <translation>the head</translation>
    </message>
    <message>
        <source>核对与新户主的关系（%d/%d）— %s</source>
        <translation>Check the relation to the new head (%d/%d) — %s</translation>
    </message>
    <message>
        <source>改关系 — %s</source>
        <translation>Change relation — %s</translation>
    </message>
    <message>
        <source>未填</source>
        <translation>not filled in</translation>
    </message>
    <message>
        <source>户主已由 %s 变更为 %s。%s 原来与户主 %s 的关系是“%s”。</source>
        <translation>The head of household changed from %s to %s. %s was related to the former head %s as “%s”.</translation>
    </message>
    <message>
        <source>%s 现在与户主 %s 的关系是“%s”。</source>
        <translation>%s is now related to the head %s as “%s”.</translation>
    </message>
    <message>
        <source>已按原来的关系预选“%s”，请对照户口簿核对；用 ↑ ↓ 改选，回车确认，Esc 暂不核对。</source>
        <translation>“%s” is pre-selected from the former relations; check it against the household register. ↑ ↓ to change, Enter to confirm, Esc to leave it for later.</translation>
    </message>
    <message>
        <source>请对照户口簿用 ↑ ↓ 选择，回车确认，Esc 暂不核对。</source>
        <translation>Choose with ↑ ↓ from the household register, Enter to confirm, Esc to leave it for later.</translation>
    </message>
    <message>
        <source>%s 与户主 %s 的关系：</source>
        <translation>Relation of %s to the head %s:</translation>
    </message>
    <message>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>请先选择关系</source>
        <translation>Choose a relation first</translation>
    </message>
</context>
<context>
    <name>ReportsPage</name>
    <message>
        <source>未参保名单</source>
        <translation>Not enrolled</translation>
    </message>
    <message>
        <source>催缴名单</source>
        <translation>Not paid</translation>
    </message>
    <message>
        <source>未正常发放名单</source>
        <translation>Not paid normally</translation>
    </message>
    <message>
        <source>未认证名单</source>
        <translation>Not checked</translation>
    </message>
    <message>
        <source>统计(&amp;T)</source>
        <translation>Coun&amp;t</translation>
    </message>
    <message>
        <source>导出Excel(&amp;E)…</source>
        <translation>&amp;Export to Excel…</translation>
    </message>
    <message>
        <source>打印报告(&amp;P)…</source>
        <translation>&amp;Print report…</translation>
    </message>
    <message>
        <source>%s：%s名单</source>
        <translation>%s: %s</translation>
    </message>
    <message>
        <source>统计日期(&amp;D)：</source>
        <translation>As of (&amp;D):</translation>
    </message>
    <message>
        <source>名单(&amp;L)：</source>
        <translation>&amp;List:</translation>
    </message>
    <message>
        <source>村民小组</source>
        <translation>Village group</translation>
    </message>
    <message>
        <source>全村</source>
        <translation>Whole village</translation>
    </message>
    <message>
        <source>共 %d 人</source>
        <translation>%d people</translation>
    </message>
    <message>
        <source>导出Excel</source>
        <translation>Export to Excel</translation>
    </message>
    <message>
        <source>Excel 文件 (*.xlsx)</source>
        <translation>Excel files (*.xlsx)</translation>
    </message>
    <message>
        <source>工作进度报告</source>
        <translation>Progress report</translation>
    </message>
</context>
<context>
    <name>ResultPage</name>
    <message>
        <source>第 5 步：导入结果</source>
        <translation>Step 5: import result</translation>
    </message>
    <message>
        <source>行号</source>
        <translation>Row</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>不能录入参保登记的原因</source>
        <translation>Why the registration could not be entered</translation>
    </message>
    <message>
        <source>保存问题报告(&amp;R)…</source>
        <translation>Save problem &amp;report…</translation>
    </message>
    <message>
        <source>数据库没有任何改变。问题报告中是检查结果，可以据此改正文件后重新导入。</source>
        <translation>Nothing in the database changed. The problem report has the check results: correct the file from it and import again.</translation>
    </message>
    <message>
        <source>有 %d 行没有导入。请点“保存问题报告…”，在报告中按“问题说明”改正红色的行，然后导入这份报告：已导入的人会显示为“未变”，不会重复。</source>
        <translation>%d rows were not imported. Click &quot;Save problem report…&quot;, correct the red rows in the report as the &quot;Problem&quot; column says, then import the report: people already imported show as &quot;unchanged&quot; and are not added twice.</translation>
    </message>
    <message>
        <source>所有行都已处理，没有需要改正的行。</source>
        <translation>Every row was handled; nothing needs correcting.</translation>
    </message>
    <message>
        <source>没有录入参保登记（导入前取消了“同时按表中的缴费档次录入参保登记”）。</source>
        <translation>No registrations entered (&quot;Also enter registrations with the tiers in the file&quot; was turned off before the import).</translation>
    </message>
    <message>
        <source>已按表中的缴费档次录入参保登记 %d 人；请另一位工作人员在“审核”（Ctrl+R）中初审后上报。</source>
        <translation>Registrations of %d people entered with the tiers in the file; another staff member must check them under &quot;Review&quot; (Ctrl+R) before they are submitted.</translation>
    </message>
    <message>
        <source>没有新录入的参保登记。</source>
        <translation>No new registrations entered.</translation>
    </message>
    <message>
        <source>%d 人已有相同档次的参保登记，未重复录入。</source>
        <translation>%d people already had a registration with the same tier; it was not entered again.</translation>
    </message>
    <message>
        <source>%d 人不能录入参保登记，原因见下表（问题报告中也有）；不影响人员导入。</source>
        <translation>%d people could not be registered: the reasons are in the list below (and in the problem report); their import is not affected.</translation>
    </message>
    <message>
        <source>保存问题报告</source>
        <translation>Save problem report</translation>
    </message>
    <message>
        <source>Excel 文件 (*.xlsx)</source>
        <translation>Excel files (*.xlsx)</translation>
    </message>
    <message>
        <source>不能写入“%s”：文件可能正在 Excel 中打开，请关闭后重试</source>
        <translation>Cannot write &quot;%s&quot;: the file may be open in Excel. Close it and try again</translation>
    </message>
    <message>
        <source>不能写入“%s”：%s</source>
        <translation>Cannot write &quot;%s&quot;: %s</translation>
    </message>
    <message>
        <source>问题报告已保存到：%s</source>
        <translation>Problem report saved to: %s</translation>
    </message>
</context>
<context>
    <name>ReturnReasonDialog</name>
    <message>
        <source>退回 %s 的参保登记</source>
        <translation>Return the registration of %s</translation>
    </message>
    <message>
        <source>例如：身份证复印件不清楚，请重新提供</source>
        <translation>e.g. the ID card copy is unreadable, please provide a new one</translation>
    </message>
    <message>
        <source>退回原因：</source>
        <translation>Reason returned:</translation>
    </message>
    <message>
        <source>退回</source>
        <translation>Return</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ReviewDialog</name>
    <message>
        <source>审核（村级初审、上报）</source>
        <translation>Review (village first review, submission)</translation>
    </message>
    <message>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <source>%s 元</source>
        <extracomment>Columns of the queue (年龄) and of the returned list (退回原因). 年满60周岁: someone this old on the registration date registers for the pension, not as a contributor. Names a 上报 confirmation spells out before &quot;等&quot; (the count is always given in full).</extracomment>
        <translation>%s yuan</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>公民身份号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>年龄</source>
        <translation>Age</translation>
    </message>
    <message>
        <source>村民小组</source>
        <translation>Village group</translation>
    </message>
    <message>
        <source>登记日期</source>
        <translation>Registered on</translation>
    </message>
    <message>
        <source>参保身份</source>
        <translation>Category</translation>
    </message>
    <message>
        <source>缴费档次</source>
        <translation>Tier</translation>
    </message>
    <message>
        <source>录入人</source>
        <translation>Entered by</translation>
    </message>
    <message>
        <source>初审通过(&amp;A)</source>
        <translation>&amp;Approve</translation>
    </message>
    <message>
        <source>快捷键 Ctrl+Enter</source>
        <translation>Shortcut Ctrl+Enter</translation>
    </message>
    <message>
        <source>退回(&amp;R)…</source>
        <translation>&amp;Return…</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>审核人只能“初审通过”或“退回”，不能修改登记内容；录入人和初审人不能是同一人。</source>
        <translation>The reviewer can only approve or return a registration, not change it; the person who entered it cannot review it.</translation>
    </message>
    <message>
        <source>初审人</source>
        <translation>Checked by</translation>
    </message>
    <message>
        <source>上报(&amp;U)…</source>
        <translation>S&amp;ubmit…</translation>
    </message>
    <message>
        <source>把选中的已初审登记上报乡镇和县社保机构（先确认）</source>
        <translation>Submit the selected checked registrations to the township and county (asks first)</translation>
    </message>
    <message>
        <source>这些登记已通过村级初审，还没有上报。默认全部选中；上报后村里不能再修改或撤回，要等县里审核。</source>
        <translation>These registrations passed the village first review and have not been submitted. All are selected; once submitted the village cannot change or withdraw them until the county answers.</translation>
    </message>
    <message>
        <source>退回方</source>
        <translation>Returned by</translation>
    </message>
    <message>
        <source>退回原因</source>
        <translation>Reason returned</translation>
    </message>
    <message>
        <source>退回的登记不能直接修改：请在人员信息中更正后，重新办理参保登记。</source>
        <translation>A returned registration cannot be edited here: correct the person&apos;s details, then register again.</translation>
    </message>
    <message>
        <source>待初审</source>
        <translation>Awaiting review</translation>
    </message>
    <message>
        <source>待上报</source>
        <translation>To submit</translation>
    </message>
    <message>
        <source>退回的登记</source>
        <translation>Returned</translation>
    </message>
    <message>
        <source>当前操作员：%s</source>
        <translation>Current operator: %s</translation>
    </message>
    <message>
        <source>待初审（%d）</source>
        <translation>Awaiting review (%d)</translation>
    </message>
    <message>
        <source>待上报（%d）</source>
        <translation>To submit (%d)</translation>
    </message>
    <message>
        <source>退回的登记（%d）</source>
        <translation>Returned (%d)</translation>
    </message>
    <message>
        <source>（未记录）</source>
        <translation>(not recorded)</translation>
    </message>
    <message>
        <source>普通</source>
        <translation>ordinary</translation>
    </message>
    <message>
        <source>%s（本人录入）</source>
        <translation>%s (entered by you)</translation>
    </message>
    <message>
        <source>这是您本人录入的登记，需由其他工作人员初审</source>
        <translation>You entered this registration, so someone else must review it</translation>
    </message>
    <message>
        <source>登记日已满%d周岁，请核对是否应办理待遇领取</source>
        <translation>Already %d or older on the registration date: check whether this should be a pension claim instead</translation>
    </message>
    <message>
        <source>县社保局</source>
        <translation>County social security bureau</translation>
    </message>
    <message>
        <source>村级初审（%s）</source>
        <translation>Village first review (%s)</translation>
    </message>
    <message>
        <source>请先在列表中选择一份登记</source>
        <translation>Select a registration in the list first</translation>
    </message>
    <message>
        <source>%s 的参保登记已初审通过，可以上报。</source>
        <translation>The registration of %s is approved and can be submitted.</translation>
    </message>
    <message>
        <source>%s 的参保登记已退回，原因：%s</source>
        <translation>The registration of %s was returned. Reason: %s</translation>
    </message>
    <message>
        <source>请先在“待上报”中选择要上报的登记</source>
        <translation>First select the registrations to submit under “To submit”</translation>
    </message>
    <message>
        <source> 等</source>
        <translation> and others</translation>
    </message>
    <message>
        <source>确定要把 %d 人的参保登记上报乡镇和县社保机构吗？

%s

上报后村里不能再修改或撤回，要等县里审核；退回后要重新登记。</source>
        <translation>Submit the registrations of %d people to the township and county social insurance offices?

%s

Once submitted the village cannot change or withdraw them until the county answers; a returned one must be registered again.</translation>
    </message>
    <message>
        <source>上报</source>
        <translation>Submit</translation>
    </message>
    <message>
        <source>上报 %d 人(&amp;Y)</source>
        <translation>Submit %d people (&amp;Y)</translation>
    </message>
    <message>
        <source>已上报 %d 人的参保登记，县里审核通过后（同步时收到）即为参保缴费。</source>
        <translation>Submitted the registrations of %d people; they are enrolled when the county approves (received by sync).</translation>
    </message>
</context>
<context>
    <name>SecurityBox</name>
    <message>
        <source>安全与设置向导</source>
        <extracomment>The wizard was run again (the page re-reads what it shows).</extracomment>
        <translation>Security and setup wizard</translation>
    </message>
    <message>
        <source> 分钟</source>
        <translation> min</translation>
    </message>
    <message>
        <source>无人操作多久后自动锁定(&amp;Z)：</source>
        <translation>Lock after this long without use (&amp;Z):</translation>
    </message>
    <message>
        <source>保存(&amp;G)</source>
        <translation>Save (&amp;G)</translation>
    </message>
    <message>
        <source>设置向导</source>
        <translation>Setup wizard</translation>
    </message>
    <message>
        <source>第一个用户已创建，数据已加密保存。程序现在关闭，请重新打开并用新用户名和密码登录。</source>
        <translation>The first user has been created and the data is now stored encrypted. The program will close: open it again and log in with the new user name and password.</translation>
    </message>
    <message>
        <source>重新运行设置向导(&amp;W)…</source>
        <translation>Run the setup &amp;wizard again…</translation>
    </message>
    <message>
        <source>锁定后屏幕上的资料全部遮住，输入密码才能继续（只在设了用户的电脑上锁定）。设置向导可以登记到县级服务器、选择打印机、导入花名册。</source>
        <translation>When locked, everything on the screen is covered until a password is entered (only on computers with users). The setup wizard can enrol with the county server, choose the printer and import a roster.</translation>
    </message>
    <message>
        <source>已保存：无人操作 %d 分钟后自动锁定</source>
        <translation>Saved: locks after %d minutes without use</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>标准(&amp;N)</source>
        <extracomment>Prints a PDF and says what happened (see money_page.send_to_printer); tests pass their own.</extracomment>
        <translation>&amp;Normal</translation>
    </message>
    <message>
        <source>大(&amp;L)</source>
        <translation>&amp;Large</translation>
    </message>
    <message>
        <source>特大(&amp;E)</source>
        <translation>&amp;Extra large</translation>
    </message>
    <message>
        <source>备份没有完成：%s</source>
        <translation>The backup did not finish: %s</translation>
    </message>
    <message>
        <source>已备份：%s（%s）</source>
        <translation>Backed up: %s (%s)</translation>
    </message>
    <message>
        <source>字体大小</source>
        <extracomment>The application font changed to this point size (the main window re-fits what it sized by hand). A backup made here has finished (succeeded or not).</extracomment>
        <translation>Text size</translation>
    </message>
    <message>
        <source>改后立即生效，只影响这台电脑；下次打开程序时仍是这个大小。</source>
        <translation>Takes effect at once and only on this computer; the program keeps this size next time.</translation>
    </message>
    <message>
        <source>界面语言</source>
        <translation>Language</translation>
    </message>
    <message>
        <source>重启程序后生效，只影响这台电脑。人员姓名、政策包名称等资料和打印的单据仍是中文。</source>
        <translation>Takes effect when the program is restarted, on this computer only. Data such as people&apos;s names and policy pack names, and printed documents, stay in Chinese.</translation>
    </message>
    <message>
        <source>没能保存界面语言。%s</source>
        <translation>The language could not be saved. %s</translation>
    </message>
    <message>
        <source>界面语言已改为“%s”，重启程序后生效。</source>
        <translation>Language changed to &quot;%s&quot;; restart the program to use it.</translation>
    </message>
    <message>
        <source>本机信息</source>
        <translation>This computer</translation>
    </message>
    <message>
        <source>本村：</source>
        <translation>Village:</translation>
    </message>
    <message>
        <source>所属乡镇：</source>
        <translation>Township:</translation>
    </message>
    <message>
        <source>数据库文件：</source>
        <translation>Database file:</translation>
    </message>
    <message>
        <source>数据库大小：</source>
        <translation>Database size:</translation>
    </message>
    <message>
        <source>数据文件夹：</source>
        <translation>Data folder:</translation>
    </message>
    <message>
        <source>备份文件夹：</source>
        <translation>Backup folder:</translation>
    </message>
    <message>
        <source>最近的备份：</source>
        <translation>Latest backups:</translation>
    </message>
    <message>
        <source>政策参数包：</source>
        <translation>Policy pack:</translation>
    </message>
    <message>
        <source>立即备份(&amp;B)</source>
        <translation>&amp;Back up now</translation>
    </message>
    <message>
        <source>（备份在后台进行，不影响继续工作）</source>
        <translation>(the backup runs in the background; you can keep working)</translation>
    </message>
    <message>
        <source>未设置</source>
        <translation>not set</translation>
    </message>
    <message>
        <source>……共 %d 个备份</source>
        <translation>… %d backups in all</translation>
    </message>
    <message>
        <source>还没有备份</source>
        <translation>No backups yet</translation>
    </message>
    <message>
        <source>%s（编号 %s，第 %d 版，%s 起执行）</source>
        <translation>%s (ID %s, version %d, in force from %s)</translation>
    </message>
    <message>
        <source>字体已改为“%s”，但没能记住，下次打开程序会恢复原来的大小。%s</source>
        <translation>Text size changed to &quot;%s&quot; but could not be remembered; the old size comes back next time. %s</translation>
    </message>
    <message>
        <source>字体大小已改为“%s”</source>
        <translation>Text size changed to &quot;%s&quot;</translation>
    </message>
    <message>
        <source>正在备份……</source>
        <translation>Backing up…</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <source>首次使用设置 — 城乡居保村级工作台</source>
        <extracomment>Who sets the village up before the first user exists (the audit entry names it). The user the program works as afterwards: the first administrator once created (or the one re-running).</extracomment>
        <translation>First-time setup — PensionDesk village workstation</translation>
    </message>
    <message>
        <source>&lt; 上一步(&amp;B)</source>
        <translation>&lt; &amp;Back</translation>
    </message>
    <message>
        <source>下一步(&amp;N) &gt;</source>
        <translation>&amp;Next &gt;</translation>
    </message>
    <message>
        <source>确定，下一步(&amp;N) &gt;</source>
        <translation>OK, &amp;next &gt;</translation>
    </message>
    <message>
        <source>完成(&amp;F)</source>
        <translation>&amp;Finish</translation>
    </message>
    <message>
        <source>以后再设置</source>
        <translation>Set up later</translation>
    </message>
</context>
<context>
    <name>SurvivalTab</name>
    <message>
        <source>即将到期（30天内）</source>
        <translation>Due within 30 days</translation>
    </message>
    <message>
        <source>已逾期（待暂停）</source>
        <translation>Overdue (to suspend)</translation>
    </message>
    <message>
        <source>已暂停发放</source>
        <translation>Payments suspended</translation>
    </message>
    <message>
        <source>无认证记录</source>
        <translation>No check on record</translation>
    </message>
    <message>
        <source>全部待遇领取人员</source>
        <translation>All pensioners</translation>
    </message>
    <message>
        <source>认证状态</source>
        <translation>Check status</translation>
    </message>
    <message>
        <source>村民小组</source>
        <translation>Village group</translation>
    </message>
    <message>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>逾期人员标记为待暂停</source>
        <translation>Mark overdue people for suspension</translation>
    </message>
    <message>
        <source>登记认证（可一次登记多人：一天的上门认证）</source>
        <translation>Record survival checks (several people at once: a day of home visits)</translation>
    </message>
    <message>
        <source>身份证号后几位或姓名，回车加入选择</source>
        <translation>Last digits of the ID number or the name; Enter adds to the selection</translation>
    </message>
    <message>
        <source>认证人；异地认证写认证机构</source>
        <translation>Who checked; for a check elsewhere, the office that did it</translation>
    </message>
    <message>
        <source>照片或扫描件（只登记一人时）</source>
        <translation>Photo or scan (when recording one person only)</translation>
    </message>
    <message>
        <source>选择…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <source>登记所选人员的认证(&amp;R)</source>
        <translation>&amp;Record check for selected people</translation>
    </message>
    <message>
        <source>查找：</source>
        <translation>Find:</translation>
    </message>
    <message>
        <source>日期/方式/结果：</source>
        <translation>Date/method/result:</translation>
    </message>
    <message>
        <source>见证人：</source>
        <translation>Witness:</translation>
    </message>
    <message>
        <source>认证人：</source>
        <translation>Checked by:</translation>
    </message>
    <message>
        <source>认证方式</source>
        <translation>Check method</translation>
    </message>
    <message>
        <source>认证结果</source>
        <translation>Check result</translation>
    </message>
    <message>
        <source>附件：</source>
        <translation>Attachment:</translation>
    </message>
    <message>
        <source>待暂停</source>
        <translation>To suspend</translation>
    </message>
    <message>
        <source>共 %d 人</source>
        <translation>%d people</translation>
    </message>
    <message>
        <source>已选 %d 人</source>
        <translation>%d selected</translation>
    </message>
    <message>
        <source>没有找到“%s”</source>
        <translation>&quot;%s&quot; not found</translation>
    </message>
    <message>
        <source>“%s”对应多人，请多输入几位身份证号</source>
        <translation>&quot;%s&quot; matches several people; type more digits of the ID number</translation>
    </message>
    <message>
        <source>选择照片或扫描件</source>
        <translation>Choose a photo or scan</translation>
    </message>
    <message>
        <source>图片或PDF (*.jpg *.jpeg *.png *.pdf *.tif *.bmp)</source>
        <translation>Pictures or PDF (*.jpg *.jpeg *.png *.pdf *.tif *.bmp)</translation>
    </message>
    <message>
        <source>登记认证</source>
        <translation>Record survival check</translation>
    </message>
    <message>
        <source>请先在表中选中要登记的人员</source>
        <translation>Select the people to record in the table first</translation>
    </message>
    <message>
        <source>附件只能随一个人的认证登记，请只选中一人</source>
        <translation>An attachment can only go with one person&apos;s check; select just one person</translation>
    </message>
    <message>
        <source>没有需要标记为待暂停的逾期未认证人员</source>
        <translation>Nobody with an overdue check needs marking for suspension</translation>
    </message>
    <message>
        <source> 等</source>
        <translation> and others</translation>
    </message>
    <message>
        <source>确定要把 %d 名逾期未认证的人员标记为“待暂停”吗？

%s

标记后，他们的养老金从认证期满后的那个月起暂停发放，补办认证后才恢复。标记不能撤销。</source>
        <translation>Mark %d people with overdue checks &quot;to suspend&quot;?

%s

Their pensions are suspended from the month after the check was due, and resume only after a late check. Marking cannot be undone.</translation>
    </message>
    <message>
        <source>标记待暂停</source>
        <translation>Mark for suspension</translation>
    </message>
    <message>
        <source>标记 %d 人待暂停(&amp;Y)</source>
        <translation>Mark %d for suspension (&amp;Y)</translation>
    </message>
    <message>
        <source>没有标记任何人待暂停</source>
        <translation>Nobody was marked for suspension</translation>
    </message>
    <message>
        <source>已将 %d 名逾期未认证人员标记为待暂停</source>
        <translation>%d people with overdue checks marked for suspension</translation>
    </message>
</context>
<context>
    <name>SyncPage</name>
    <message>
        <source>程序内部错误（%s），已记录日志。</source>
        <extracomment>How often 自动同步 tries when it is on (the worker&apos;s lock skips a tick while a sync runs). Outbox states in the order the counts are shown.</extracomment>
        <translation>Internal program error (%s); it has been logged.</translation>
    </message>
    <message>
        <source>与县级服务器同步</source>
        <extracomment>The status-bar text (e.g. 同步：上次 2026-11-22 10:30，待上传 12 条), after every change. A sync ended (manual or automatic); carries the :class:`~pensiondesk.sync.worker.Outcome`. The last message box shown (kept so it is not garbage-collected, and for tests).</extracomment>
        <translation>Sync with the county server</translation>
    </message>
    <message>
        <source>登记信息</source>
        <translation>Enrolment</translation>
    </message>
    <message>
        <source>县级服务器：</source>
        <translation>County server:</translation>
    </message>
    <message>
        <source>本村：</source>
        <translation>Village:</translation>
    </message>
    <message>
        <source>设备编号：</source>
        <translation>Device ID:</translation>
    </message>
    <message>
        <source>上次同步：</source>
        <translation>Last sync:</translation>
    </message>
    <message>
        <source>结果：</source>
        <translation>Result:</translation>
    </message>
    <message>
        <source>记录状态</source>
        <translation>Records</translation>
    </message>
    <message>
        <source>待上传</source>
        <translation>To upload</translation>
    </message>
    <message>
        <source>上传中</source>
        <translation>Uploading</translation>
    </message>
    <message>
        <source>已接收</source>
        <translation>Accepted</translation>
    </message>
    <message>
        <source>被拒绝</source>
        <translation>Refused</translation>
    </message>
    <message>
        <source>有冲突</source>
        <translation>In conflict</translation>
    </message>
    <message>
        <source>立即同步</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <source>上传待传记录，接收县里的审核结果等（Ctrl+Shift+S）</source>
        <translation>Upload waiting records and receive the county&apos;s decisions (Ctrl+Shift+S)</translation>
    </message>
    <message>
        <source>登记到县级服务器…</source>
        <translation>Enrol with the county server…</translation>
    </message>
    <message>
        <source>导出U盘文件…</source>
        <translation>Export USB file…</translation>
    </message>
    <message>
        <source>没有网络时：把待上传的数据写成签名文件，用U盘带到县社保局</source>
        <translation>Without a network: write the waiting data to a signed file and take it to the county bureau on a USB stick</translation>
    </message>
    <message>
        <source>导入回执…</source>
        <translation>Import receipt file…</translation>
    </message>
    <message>
        <source>导入县社保局给的签名回执文件</source>
        <translation>Import the signed receipt file from the county bureau</translation>
    </message>
    <message>
        <source>自动同步（每 %d 分钟）</source>
        <translation>Sync automatically (every %d minutes)</translation>
    </message>
    <message>
        <source>打开后，本机联网时每隔几分钟自动同步一次</source>
        <translation>When on, this computer syncs every few minutes while it is online</translation>
    </message>
    <message>
        <source>需要处理的记录</source>
        <translation>Records needing attention</translation>
    </message>
    <message>
        <source>问题</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <source>人员/记录</source>
        <translation>Person/record</translation>
    </message>
    <message>
        <source>县里的原因</source>
        <translation>County&apos;s reason</translation>
    </message>
    <message>
        <source>怎么办</source>
        <translation>What to do</translation>
    </message>
    <message>
        <source>录入时间</source>
        <translation>Entered at</translation>
    </message>
    <message>
        <source>处理冲突…</source>
        <translation>Resolve conflict…</translation>
    </message>
    <message>
        <source>没有需要处理的记录。</source>
        <translation>No records need attention.</translation>
    </message>
    <message>
        <source>双击有冲突的记录，可对照两边内容后决定保留哪一份。</source>
        <translation>Double-click a record in conflict to compare both sides and choose which to keep.</translation>
    </message>
    <message>
        <source>同步：未登记县级服务器</source>
        <translation>Sync: not enrolled with the county server</translation>
    </message>
    <message>
        <source>同步：正在同步…</source>
        <translation>Sync: syncing…</translation>
    </message>
    <message>
        <source>同步：从未同步，待上传 %d 条</source>
        <translation>Sync: never synced, %d to upload</translation>
    </message>
    <message>
        <source>同步：上次 %s，待上传 %d 条</source>
        <translation>Sync: last %s, %d to upload</translation>
    </message>
    <message>
        <source>，%d 条需处理</source>
        <translation>, %d need attention</translation>
    </message>
    <message>
        <source>。%s</source>
        <translation>. %s</translation>
    </message>
    <message>
        <source>。审计日志异常，请联系县社保局</source>
        <translation>. The audit log is damaged; contact the county social security bureau</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>重新登记…</source>
        <translation>Enrol again…</translation>
    </message>
    <message>
        <source>未登记（请点“登记到县级服务器…”）</source>
        <translation>Not enrolled (click &quot;Enrol with the county server…&quot;)</translation>
    </message>
    <message>
        <source>从未同步</source>
        <translation>Never synced</translation>
    </message>
    <message>
        <source>注意：%s</source>
        <translation>Note: %s</translation>
    </message>
    <message>
        <source>警告：%s</source>
        <translation>Warning: %s</translation>
    </message>
    <message>
        <source>正在同步，请稍候。这次点击没有再开始一次同步。</source>
        <translation>A sync is running; please wait. This click did not start another one.</translation>
    </message>
    <message>
        <source>本机尚未登记到县级服务器。请先点“登记到县级服务器…”，填写县社保局给的地址和登记码。</source>
        <translation>This computer is not enrolled with the county server yet. Click &quot;Enrol with the county server…&quot; and enter the address and code from the county bureau.</translation>
    </message>
    <message>
        <source>正在同步：上传待传记录，接收县里的数据…</source>
        <translation>Syncing: uploading waiting records, receiving the county&apos;s data…</translation>
    </message>
    <message>
        <source>另一次同步正在进行，这次没有再同步。</source>
        <translation>Another sync is running, so this one did not start.</translation>
    </message>
    <message>
        <source>同步未完成：%s</source>
        <translation>Sync not finished: %s</translation>
    </message>
    <message>
        <source>已打开自动同步：每 %d 分钟同步一次。</source>
        <translation>Automatic sync on: every %d minutes.</translation>
    </message>
    <message>
        <source>已关闭自动同步。</source>
        <translation>Automatic sync off.</translation>
    </message>
    <message>
        <source>重新登记</source>
        <translation>Enrol again</translation>
    </message>
    <message>
        <source>本机已登记到 %s。重新登记会换用新的设备编号。确定要重新登记吗？</source>
        <translation>This computer is enrolled with %s. Enrolling again gives it a new device ID. Enrol again?</translation>
    </message>
    <message>
        <source>正在同步，请同步结束后再登记。</source>
        <translation>A sync is running; enrol after it finishes.</translation>
    </message>
    <message>
        <source>正在连接县级服务器登记本机…</source>
        <translation>Connecting to the county server to enrol this computer…</translation>
    </message>
    <message>
        <source>已登记到县级服务器。待上传 %d 条，点“立即同步”开始上传。</source>
        <translation>Enrolled with the county server. %d records to upload: click &quot;Sync now&quot; to start.</translation>
    </message>
    <message>
        <source>登记未成功：%s</source>
        <translation>Enrolment failed: %s</translation>
    </message>
    <message>
        <source>这条冲突已经处理过了。</source>
        <translation>This conflict has already been resolved.</translation>
    </message>
    <message>
        <source>已保留本机的内容，下次同步时上传到县里。</source>
        <translation>Kept this computer&apos;s copy; it is uploaded at the next sync.</translation>
    </message>
    <message>
        <source>已采用县级的内容，本机记录已更新。</source>
        <translation>Used the county&apos;s copy; the record on this computer is updated.</translation>
    </message>
    <message>
        <source>导出U盘文件</source>
        <translation>Export USB file</translation>
    </message>
    <message>
        <source>同步文件 (*.json)</source>
        <translation>Sync files (*.json)</translation>
    </message>
    <message>
        <source>导出未成功：%s</source>
        <translation>Export failed: %s</translation>
    </message>
    <message>
        <source>已写出 %d 条记录到 %s。
请把文件带到县社保局导入，再把回执文件带回来点“导入回执…”。</source>
        <translation>Wrote %d records to %s.
Take the file to the county bureau to import, then bring the receipt file back and click &quot;Import receipt file…&quot;.</translation>
    </message>
    <message>
        <source>没有待上传的记录，未生成文件。</source>
        <translation>No records waiting to upload; no file made.</translation>
    </message>
    <message>
        <source>导入回执</source>
        <translation>Import receipt file</translation>
    </message>
    <message>
        <source>回执文件 (*.json);;所有文件 (*)</source>
        <translation>Receipt files (*.json);;All files (*)</translation>
    </message>
    <message>
        <source>回执未导入：%s</source>
        <translation>Receipt file not imported: %s</translation>
    </message>
    <message>
        <source>回执已导入：县里已接收 %d 条，被拒绝 %d 条，有冲突 %d 条。</source>
        <translation>Receipt file imported: the county accepted %d, refused %d, %d in conflict.</translation>
    </message>
    <message>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
</context>
<context>
    <name>TableHeader</name>
    <message>
        <source>序号</source>
        <translation>No.</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>性别</source>
        <translation>Sex</translation>
    </message>
    <message>
        <source>年龄</source>
        <translation>Age</translation>
    </message>
    <message>
        <source>出生日期</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <source>公民身份号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <source>村民小组</source>
        <translation>Village group</translation>
    </message>
    <message>
        <source>户主</source>
        <translation>Head of household</translation>
    </message>
    <message>
        <source>联系电话</source>
        <translation>Phone</translation>
    </message>
    <message>
        <source>情况</source>
        <translation>Situation</translation>
    </message>
    <message>
        <source>备注</source>
        <translation>Notes</translation>
    </message>
    <message>
        <source>日期</source>
        <translation>Date</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <source>疑似原因</source>
        <translation>Why flagged</translation>
    </message>
    <message>
        <source>甲</source>
        <translation>First</translation>
    </message>
    <message>
        <source>乙</source>
        <translation>Second</translation>
    </message>
    <message>
        <source>判定</source>
        <translation>Decision</translation>
    </message>
    <message>
        <source>票据号码</source>
        <translation>Receipt no.</translation>
    </message>
    <message>
        <source>号码</source>
        <translation>Number</translation>
    </message>
    <message>
        <source>参保人</source>
        <translation>Insured person</translation>
    </message>
    <message>
        <source>年度</source>
        <translation>Year</translation>
    </message>
    <message>
        <source>档次</source>
        <translation>Tier</translation>
    </message>
    <message>
        <source>金额</source>
        <translation>Amount</translation>
    </message>
    <message>
        <source>金额（元）</source>
        <translation>Amount (yuan)</translation>
    </message>
    <message>
        <source>重打</source>
        <translation>Reprints</translation>
    </message>
    <message>
        <source>字轨</source>
        <translation>Series</translation>
    </message>
    <message>
        <source>号码段</source>
        <translation>Numbers</translation>
    </message>
    <message>
        <source>领用人</source>
        <translation>Issued to</translation>
    </message>
    <message>
        <source>下一个号码</source>
        <translation>Next number</translation>
    </message>
    <message>
        <source>开具</source>
        <translation>Issued</translation>
    </message>
    <message>
        <source>作废</source>
        <translation>Void</translation>
    </message>
    <message>
        <source>遗失</source>
        <translation>Lost</translation>
    </message>
    <message>
        <source>未用</source>
        <translation>Unused</translation>
    </message>
    <message>
        <source>上次缴费</source>
        <translation>Last payment</translation>
    </message>
    <message>
        <source>缴费档次</source>
        <translation>Contribution tier</translation>
    </message>
    <message>
        <source>个人每年缴</source>
        <translation>Personal per year</translation>
    </message>
    <message>
        <source>政府补贴/年</source>
        <translation>Subsidy/year</translation>
    </message>
    <message>
        <source>政府代缴/年</source>
        <translation>Paid by government/year</translation>
    </message>
    <message>
        <source>集体补助/年</source>
        <translation>Collective aid/year</translation>
    </message>
    <message>
        <source>每年记入账户</source>
        <translation>Credited per year</translation>
    </message>
    <message>
        <source>个人累计缴</source>
        <translation>Personal total</translation>
    </message>
    <message>
        <source>到龄时账户余额</source>
        <translation>Account at 60</translation>
    </message>
    <message>
        <source>个人账户养老金/月</source>
        <translation>Account pension/month</translation>
    </message>
    <message>
        <source>月养老金合计</source>
        <translation>Monthly pension</translation>
    </message>
    <message>
        <source>年满60周岁</source>
        <translation>Turns 60</translation>
    </message>
    <message>
        <source>最早起始年月</source>
        <translation>Earliest start</translation>
    </message>
    <message>
        <source>已缴年限</source>
        <translation>Years paid</translation>
    </message>
    <message>
        <source>尚缺年限</source>
        <translation>Years short</translation>
    </message>
    <message>
        <source>通知日期</source>
        <translation>Notified on</translation>
    </message>
    <message>
        <source>办理状态</source>
        <translation>Progress</translation>
    </message>
    <message>
        <source>认证状态</source>
        <translation>Check status</translation>
    </message>
    <message>
        <source>上次认证</source>
        <translation>Last check</translation>
    </message>
    <message>
        <source>认证方式</source>
        <translation>Check method</translation>
    </message>
    <message>
        <source>周期截止</source>
        <translation>Due by</translation>
    </message>
    <message>
        <source>剩余天数</source>
        <translation>Days left</translation>
    </message>
    <message>
        <source>死亡日期</source>
        <translation>Date of death</translation>
    </message>
    <message>
        <source>停发年月</source>
        <translation>Stopped from</translation>
    </message>
    <message>
        <source>多领金额</source>
        <translation>Overpaid</translation>
    </message>
    <message>
        <source>丧葬补助金</source>
        <translation>Funeral grant</translation>
    </message>
    <message>
        <source>抵扣</source>
        <translation>Deducted</translation>
    </message>
    <message>
        <source>实发</source>
        <translation>Paid out</translation>
    </message>
    <message>
        <source>账户余额</source>
        <translation>Account balance</translation>
    </message>
    <message>
        <source>垫付未还</source>
        <translation>Advance owed</translation>
    </message>
    <message>
        <source>继承人</source>
        <translation>Heir</translation>
    </message>
    <message>
        <source>张贴日期</source>
        <translation>Posted on</translation>
    </message>
    <message>
        <source>公示期至</source>
        <translation>Until</translation>
    </message>
    <message>
        <source>人数</source>
        <translation>People</translation>
    </message>
    <message>
        <source>异议</source>
        <translation>Objections</translation>
    </message>
    <message>
        <source>提出日期</source>
        <translation>Date raised</translation>
    </message>
    <message>
        <source>提出人</source>
        <translation>Raised by</translation>
    </message>
    <message>
        <source>异议内容</source>
        <translation>Objection</translation>
    </message>
    <message>
        <source>处理结果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <source>参保率</source>
        <translation>Enrolment rate</translation>
    </message>
    <message>
        <source>应参保</source>
        <translation>Should enrol</translation>
    </message>
    <message>
        <source>已参保</source>
        <translation>Enrolled</translation>
    </message>
    <message>
        <source>缴费率</source>
        <translation>Payment rate</translation>
    </message>
    <message>
        <source>应缴费</source>
        <translation>Should pay</translation>
    </message>
    <message>
        <source>已缴费</source>
        <translation>Paid</translation>
    </message>
    <message>
        <source>发放率</source>
        <translation>Payout rate</translation>
    </message>
    <message>
        <source>应发放</source>
        <translation>Due a pension</translation>
    </message>
    <message>
        <source>正常发放</source>
        <translation>Paid normally</translation>
    </message>
    <message>
        <source>认证率</source>
        <translation>Check rate</translation>
    </message>
    <message>
        <source>应认证</source>
        <translation>Due a check</translation>
    </message>
    <message>
        <source>已认证</source>
        <translation>Checked</translation>
    </message>
</context>
<context>
    <name>UnpaidTab</name>
    <message>
        <source>打印催缴名单(&amp;P)</source>
        <translation>&amp;Print unpaid list</translation>
    </message>
    <message>
        <source>导出 Excel(&amp;E)</source>
        <translation>&amp;Export to Excel</translation>
    </message>
    <message>
        <source>年度(&amp;Y)：</source>
        <translation>&amp;Year:</translation>
    </message>
    <message>
        <source>村民小组(&amp;G)：</source>
        <translation>Village &amp;group:</translation>
    </message>
    <message>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <source>%s年 %s元</source>
        <translation>%s, %s yuan</translation>
    </message>
    <message>
        <source>无</source>
        <translation>none</translation>
    </message>
    <message>
        <source>参保缴费 %d 人，已缴 %d 人，未缴 %d 人，缴费率 %s%%</source>
        <translation>%d contributors, %d paid, %d unpaid, %s%% paid</translation>
    </message>
    <message>
        <source>催缴名单</source>
        <translation>unpaid list</translation>
    </message>
    <message>
        <source>导出催缴名单</source>
        <translation>Export unpaid list</translation>
    </message>
    <message>
        <source>无法写入 %s：%s</source>
        <translation>Cannot write %s: %s</translation>
    </message>
    <message>
        <source>已导出 %d 人：%s</source>
        <translation>Exported %d people: %s</translation>
    </message>
</context>
<context>
    <name>UsersBox</name>
    <message>
        <source>用户和密码</source>
        <extracomment>(text in Chinese, whether it is an error)</extracomment>
        <translation>Users and passwords</translation>
    </message>
    <message>
        <source>用户名</source>
        <translation>User name</translation>
    </message>
    <message>
        <source>姓名</source>
        <translation>Full name</translation>
    </message>
    <message>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>添加用户(&amp;J)…</source>
        <translation>Add user (&amp;J)…</translation>
    </message>
    <message>
        <source>停用(&amp;Y)</source>
        <translation>Disable (&amp;Y)</translation>
    </message>
    <message>
        <source>修改我的密码(&amp;M)…</source>
        <translation>Change &amp;my password…</translation>
    </message>
    <message>
        <source>用恢复密钥重设密码(&amp;K)…</source>
        <translation>Reset with recovery &amp;key…</translation>
    </message>
    <message>
        <source>在用</source>
        <translation>Active</translation>
    </message>
    <message>
        <source>已停用</source>
        <translation>Disabled</translation>
    </message>
    <message>
        <source>本机还没有用户，打开程序不用登录，数据也没有加密。请按下面的“重新运行设置向导”创建第一个用户。</source>
        <translation>This computer has no users yet: the program opens without a login and the data is not encrypted. Click &quot;Run the setup wizard again&quot; below to create the first user.</translation>
    </message>
    <message>
        <source>当前用户：%s（管理员）。可以添加用户、停用或启用用户；每个人只能改自己的密码。</source>
        <translation>Current user: %s (administrator). You can add, disable and enable users; each person can only change their own password.</translation>
    </message>
    <message>
        <source>当前用户：%s（%s）。添加或停用用户请找管理员；您可以修改自己的密码。</source>
        <translation>Current user: %s (%s). Ask an administrator to add or disable users; you can change your own password.</translation>
    </message>
    <message>
        <source>启用(&amp;Y)</source>
        <translation>Enable (&amp;Y)</translation>
    </message>
    <message>
        <source>已添加用户 %s（%s，%s）</source>
        <translation>Added user %s (%s, %s)</translation>
    </message>
    <message>
        <source>请先在列表中选择一个用户</source>
        <translation>Select a user in the list first</translation>
    </message>
    <message>
        <source>已启用用户 %s</source>
        <translation>User %s enabled</translation>
    </message>
    <message>
        <source>已停用用户 %s，他不能再登录</source>
        <translation>User %s disabled; they can no longer log in</translation>
    </message>
    <message>
        <source>密码已修改，下次登录请用新密码</source>
        <translation>Password changed; use the new one next time you log in</translation>
    </message>
    <message>
        <source>已为 %s 重设密码，请用新密码登录</source>
        <translation>Password reset for %s; log in with the new password</translation>
    </message>
</context>
<context>
    <name>UsersExistPage</name>
    <message>
        <source>第 2 步：用户</source>
        <translation>Step 2: users</translation>
    </message>
    <message>
        <source>本机已经有用户了，这一步不用做，请按“下一步”。</source>
        <translation>This computer already has users, so there is nothing to do here; click &quot;Next&quot;.</translation>
    </message>
    <message>
        <source>添加用户、停用用户、修改密码或用恢复密钥重设密码，请到“设置”页的“用户和密码”。</source>
        <translation>To add or disable users, change passwords or reset a password with the recovery key, go to &quot;Users and passwords&quot; on the Settings page.</translation>
    </message>
    <message>
        <source>本机现有 %d 个用户。</source>
        <translation>This computer has %d user(s).</translation>
    </message>
</context>
<context>
    <name>VillagePage</name>
    <message>
        <source>第 1 步：本村</source>
        <translation>Step 1: the village</translation>
    </message>
    <message>
        <source>用县社保局给的登记码登记到县级服务器（推荐，需要能上网）(&amp;E)</source>
        <translation>&amp;Enrol with the county server using the code from the county bureau (recommended; needs internet)</translation>
    </message>
    <message>
        <source>先离线设置本村，以后在“同步”页登记(&amp;O)</source>
        <translation>Set up the village &amp;offline now and enrol later on the Sync page</translation>
    </message>
    <message>
        <source>保持现在的设置(&amp;K)</source>
        <translation>&amp;Keep the current settings</translation>
    </message>
    <message>
        <source>请选择怎样设置本村：有县里给的登记码就选第一项。</source>
        <translation>Choose how to set up the village: if you have an enrolment code from the county, choose the first.</translation>
    </message>
    <message>
        <source>这台电脑还没有设置本村。</source>
        <translation>This computer has no village set up yet.</translation>
    </message>
    <message>
        <source>本机已设置为 %s（村代码 %s），%s %s。</source>
        <translation>This computer is set up for %s (village code %s), %s %s.</translation>
    </message>
    <message>
        <source>本村已经设置好，也已登记到县级服务器，请按“下一步”。</source>
        <translation>The village is set up and enrolled with the county server; click &quot;Next&quot;.</translation>
    </message>
    <message>
        <source>已登记到县级服务器。</source>
        <translation>Enrolled with the county server.</translation>
    </message>
    <message>
        <source>本村已经设置好；有县里给的登记码时可以现在登记。</source>
        <translation>The village is set up; if you have an enrolment code from the county you can enrol now.</translation>
    </message>
    <message>
        <source>还没有登记到县级服务器。</source>
        <translation>Not enrolled with the county server yet.</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <source>欢迎使用城乡居保村级工作台</source>
        <translation>Welcome to the PensionDesk village workstation</translation>
    </message>
    <message>
        <source>请按“下一步”，几分钟就能设置好这台电脑。</source>
        <translation>Click &quot;Next&quot;: setting up this computer takes a few minutes.</translation>
    </message>
    <message>
        <source>1. 本村：用县社保局给的登记码登记，或先离线设置本村。</source>
        <translation>1. The village: enrol with the code from the county bureau, or set up the village offline first.</translation>
    </message>
    <message>
        <source>2. 第一个用户：您的用户名和密码，并把恢复密钥放进保险柜。</source>
        <translation>2. The first user: your user name and password; then put the recovery key in the safe.</translation>
    </message>
    <message>
        <source>3. 打印机：选择打印机，试打一张收据校准页。</source>
        <translation>3. The printer: choose it and print a receipt calibration page.</translation>
    </message>
    <message>
        <source>4. 导入花名册（可以跳过，以后再导入）。</source>
        <translation>4. Import the roster (optional; you can do it later).</translation>
    </message>
    <message>
        <source>每一步都可以以后在“设置”页重新做；按“以后再设置”可以先关闭本向导。</source>
        <translation>Every step can be done again later on the Settings page; &quot;Set up later&quot; closes this wizard for now.</translation>
    </message>
</context>
<context>
    <name>_FormDialog</name>
    <message>
        <source>确定</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <source>两次输入的新密码不一样，请再输一遍</source>
        <translation>The two new passwords differ; please enter them again</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <source>出错了</source>
        <extracomment>Past this size the log is moved to ``*.log.1`` (one generation kept), so it never fills a small disk. The same error again within this many seconds is logged but not shown again: a failing repaint repeats.</extracomment>
        <translation>Something went wrong</translation>
    </message>
    <message>
        <source>确定(&amp;Y)</source>
        <translation>&amp;Yes</translation>
    </message>
    <message>
        <source>取消(&amp;N)</source>
        <translation>&amp;No</translation>
    </message>
    <message>
        <source>数据库问题</source>
        <translation>Database problem</translation>
    </message>
    <message>
        <source>（日志无法写入）</source>
        <translation>(the log could not be written)</translation>
    </message>
    <message>
        <source>程序遇到意外错误，已记录日志：%s</source>
        <translation>The program hit an unexpected error; it has been logged: %s</translation>
    </message>
    <message>
        <source>程序错误</source>
        <translation>Program error</translation>
    </message>
</context>
<context>
    <name>household_view</name>
    <message>
        <source>（请选择）</source>
        <extracomment>Background of a relation still stated against the old head (待核对).</extracomment>
        <translation>(choose)</translation>
    </message>
</context>
<context>
    <name>roles</name>
    <message>
        <source>复核员只审核（通过或退回），不能录入或修改人员信息；请由录入/初审员或管理员登录后办理</source>
        <translation>A reviewer only reviews (approves or returns) and cannot enter or change people&apos;s data; please log in as a data-entry clerk or an administrator to do this</translation>
    </message>
</context>
</TS>
