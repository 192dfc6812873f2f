<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_HK">
<context>
    <name>BatchPane</name>
    <message>
        <location filename="../hkpilot/gui/batch_options.py" line="+17"/>
        <source>Translate</source>
        <translation>翻譯</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Summarise</source>
        <translation>摘要</translation>
    </message>
    <message>
        <location filename="../hkpilot/gui/batch_table.py" line="+20"/>
        <source>Waiting</source>
        <translation>等候中</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Working…</source>
        <translation>處理中…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>File</source>
        <translation>檔案</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>狀態</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Blocks</source>
        <translation>段數</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Read</source>
        <translation>已讀</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Time</source>
        <translation>時間</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Output</source>
        <translation>輸出</translation>
    </message>
    <message>
        <location filename="../hkpilot/gui/batch_options.py" line="+46"/>
        <source>Task:</source>
        <translation>工作類別：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Batch task</source>
        <translation>批次工作類別</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Target language</source>
        <translation>目標語言</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Output layout</source>
        <translation>輸出版面</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Summary length</source>
        <translation>摘要篇幅</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Summary language</source>
        <translation>摘要語言</translation>
    </message>
    <message>
        <location filename="../hkpilot/gui/batch_table.py" line="+26"/>
        <source>Files in the batch</source>
        <translation>批次中的檔案</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Each file&apos;s status and output; press Enter to open an output</source>
        <translation>每個檔案的狀態及輸出；按 Enter 鍵開啟輸出檔案</translation>
    </message>
    <message>
        <location filename="../hkpilot/gui/batch_pane.py" line="+137"/>
        <source>Add files…</source>
        <translation>加入檔案…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add documents to the batch (Ctrl+Shift+O); you can also drop files</source>
        <translation>將文件加入批次（Ctrl+Shift+O）；亦可直接拖放檔案</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add folder…</source>
        <translation>加入資料夾…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Add every document in a folder</source>
        <translation>加入資料夾內的所有文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Remove the selected files from the batch</source>
        <translation>從批次中移除所選檔案</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New batch</source>
        <translation>新批次</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Empty the list and start a new batch</source>
        <translation>清空清單，開始新的批次</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Output folder…</source>
        <translation>輸出資料夾…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Where the outputs go (default: next to each file)</source>
        <translation>輸出檔案的存放位置（預設：與原檔案相同的資料夾）</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+197"/>
        <source>Start</source>
        <translation>開始</translation>
    </message>
    <message>
        <location line="-197"/>
        <source>Work through the waiting files (Ctrl+Enter)</source>
        <translation>逐一處理等候中的檔案（Ctrl+Enter）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Stop now; the current file starts again when you resume (Esc)</source>
        <translation>立即停止；繼續時會由頭處理目前的檔案（Esc）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop after this file</source>
        <translation>完成此檔案後停止</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Finish the current file, then stop</source>
        <translation>處理完目前的檔案後停止</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Files done</source>
        <translation>已完成的檔案</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%v of %m files</source>
        <translation>已完成 %v／%m 個檔案</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Batch summary</source>
        <translation>批次摘要</translation>
    </message>
    <message>
        <location filename="../hkpilot/gui/batch_options.py" line="+33"/>
        <source>Into:</source>
        <translation>譯成：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Length and language:</source>
        <translation>篇幅及語言：</translation>
    </message>
    <message>
        <location filename="../hkpilot/gui/batch_pane.py" line="+22"/>
        <source>Outputs next to each file</source>
        <translation>輸出檔案與原檔案放在一起</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>No new .docx, .pdf, .xlsx or .txt files to add.</source>
        <translation>沒有可加入的新 .docx、.pdf、.xlsx 或 .txt 檔案。</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>The batch list could not be saved: {error}</source>
        <translation>無法儲存批次清單：{error}</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The batch stops when {name} is finished.</source>
        <translation>處理完 {name} 後，批次便會停止。</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Stopped after the current file. {left} files are waiting: press Resume to go on.</source>
        <translation>已於目前的檔案完成後停止。尚有 {left} 個檔案等候處理：按「繼續」即可接續。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Stopped. {left} files are waiting: press Resume to go on, now or after a restart.</source>
        <translation>已停止。尚有 {left} 個檔案等候處理：現在或重新啟動後按「繼續」即可接續。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Resume</source>
        <translation>繼續</translation>
    </message>
    <message>
        <location filename="../hkpilot/gui/batch_options.py" line="-12"/>
        <source>Fixed for this batch; press New batch to change it</source>
        <translation>此批次的設定已固定；如要更改，請按「新批次」</translation>
    </message>
    <message>
        <location filename="../hkpilot/gui/batch_pane.py" line="+22"/>
        <source>{done} done, {failed} failed, {left} waiting</source>
        <translation>完成 {done} 個，失敗 {failed} 個，等候 {left} 個</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Add files or a folder, or drop them here.</source>
        <translation>加入檔案或資料夾，或將它們拖放到這裏。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>about {left} left</source>
        <translation>約剩 {left}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{time} in all</source>
        <translation>合共 {time}</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>A batch was left unfinished ({left} files waiting). Open the Batch tab and press Resume.</source>
        <translation>有一個批次尚未完成（{left} 個檔案等候處理）。請開啟「批次處理」分頁並按「繼續」。</translation>
    </message>
</context>
<context>
    <name>BilingualDialog</name>
    <message>
        <location filename="../hkpilot/gui/bilingual_dialog.py" line="+85"/>
        <source>Check bilingual consistency</source>
        <translation>檢查中英文版本是否一致</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>English version…</source>
        <translation>英文版本…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chinese version…</source>
        <translation>中文版本…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check</source>
        <translation>檢查</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compare numbers, dates, amounts, percentages, references and web addresses</source>
        <translation>比較數字、日期、金額、百分比、條文編號及網址</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What</source>
        <translation>項目</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Value</source>
        <translation>數值</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>English / Chinese</source>
        <translation>英文／中文</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Where (English / Chinese)</source>
        <translation>位置（英文／中文）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Differences</source>
        <translation>差異</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No file chosen</source>
        <translation>未選擇檔案</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Checking…</source>
        <translation>正在檢查…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Paragraphs: {en} in English, {zh} in Chinese.</source>
        <translation>段落數目：英文 {en} 段，中文 {zh} 段。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No differences found.</source>
        <translation>沒有發現差異。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{count} differences to review.</source>
        <translation>有 {count} 處差異需要核對。</translation>
    </message>
</context>
<context>
    <name>CitationPanel</name>
    <message>
        <location filename="../hkpilot/gui/citation_panel.py" line="+104"/>
        <source>Source passage of the citation clicked:</source>
        <translation>所點選引註的原文段落：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Click a citation such as [p:3] in the summary to see its source passage.</source>
        <translation>點選摘要中的引註（例如 [p:3]）即可查看原文段落。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Source passage</source>
        <translation>原文段落</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Citation problems</source>
        <translation>引註問題</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>{coverage} {cited} of {points} points cite the source.</source>
        <translation>{coverage} {points} 個要點中有 {cited} 個註明出處。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{count} quotes were not found in the document.</source>
        <translation>有 {count} 段引文在文件中找不到。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{count} figures were not found in the document.</source>
        <translation>有 {count} 個數字在文件中找不到。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Line {line}: [{anchor}] added by HKPilot from matching wording</source>
        <translation>第 {line} 行：[{anchor}] 由 HKPilot 按相同字詞補上</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Line {line}: no citation</source>
        <translation>第 {line} 行：沒有註明出處</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Line {line}: not in the document: {anchors}</source>
        <translation>第 {line} 行：文件中沒有：{anchors}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Line {line}: the cited passage shares no wording with the point; it matches [{anchor}]</source>
        <translation>第 {line} 行：引用的段落與該要點沒有相同字詞；與 [{anchor}] 相符</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Line {line}: [{anchor}] is not in the document; citation taken out</source>
        <translation>第 {line} 行：文件中沒有 [{anchor}]，已刪去此引註</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Line {line}: quote “{quote}”: {status}</source>
        <translation>第 {line} 行：引文「{quote}」：{status}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Line {line}: {figure}: {status}</source>
        <translation>第 {line} 行：{figure}：{status}</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>[{anchor}] is not in the document.</source>
        <translation>文件中沒有 [{anchor}]。</translation>
    </message>
</context>
<context>
    <name>ClassificationOffer</name>
    <message>
        <location filename="../hkpilot/gui/classification_offer.py" line="+52"/>
        <source>Marked document</source>
        <translation>已標示保密級別的文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use the local model on this computer instead? The document then stays on this computer.</source>
        <translation>改用這部電腦上的本機模型嗎？文件會留在這部電腦上。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Use the local model</source>
        <translation>使用本機模型</translation>
    </message>
</context>
<context>
    <name>ConnectionTest</name>
    <message>
        <location filename="../hkpilot/gui/connection_test.py" line="+53"/>
        <source>Test connection</source>
        <translation>測試連線</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check the server, its certificate, the API key, the model and a short answer</source>
        <translation>檢查伺服器、其證書、API 密鑰、模型及一個簡短回覆</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Connection test result</source>
        <translation>連線測試結果</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Testing the connection…</source>
        <translation>正在測試連線…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>The test could not run: {error}</source>
        <translation>無法進行測試：{error}</translation>
    </message>
</context>
<context>
    <name>ContextMeter</name>
    <message>
        <location filename="../hkpilot/gui/context_meter.py" line="+65"/>
        <source>Share of the model&apos;s context</source>
        <translation>佔模型上下文的比例</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How much of the model&apos;s context the document takes (Model manager: Ctrl+M)</source>
        <translation>文件佔用模型上下文的多少（模型管理：Ctrl+M）</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>{tokens} tokens; the model&apos;s context is not known</source>
        <translation>{tokens} 詞元；未知模型的上下文長度</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{tokens} tokens, read block by block</source>
        <translation>{tokens} 詞元，逐段處理</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{tokens} of {budget:,} tokens: fits</source>
        <translation>{tokens}／{budget:,} 詞元：容納得下</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{tokens} of {budget:,} tokens: too long for one pass</source>
        <translation>{tokens}／{budget:,} 詞元：太長，無法一次過處理</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>The document is longer than the model&apos;s context</source>
        <translation>文件長度超出模型的上下文</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The document has about {tokens:,} tokens; the model can read {budget:,} at once.

HKPilot can summarise it in parts and then combine them: every part is read, it takes longer. Or choose a model or context size that fits.</source>
        <translation>文件約有 {tokens:,} 個詞元，而模型一次只能讀取 {budget:,} 個。

HKPilot 可以分段摘要再合併：每一部分都會讀取，但需時較長。你亦可選擇容納得下的模型或上下文大小。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Summarise in parts</source>
        <translation>分段摘要</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The reference files have about {tokens:,} tokens; the model can read {budget:,} with the key points.

HKPilot can use only what fits (it will say how much), or you can choose a model or context size that fits.</source>
        <translation>參考檔案約有 {tokens:,} 個詞元，而連同要點，模型只能讀取 {budget:,} 個。

HKPilot 可以只使用容納得下的部分（會註明用了多少），你亦可選擇容納得下的模型或上下文大小。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Use what fits</source>
        <translation>只用容納得下的部分</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Choose a larger context…</source>
        <translation>選擇較大的上下文…</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <location filename="../hkpilot/gui/crash.py" line="+87"/>
        <source>HKPilot – unexpected problem</source>
        <translation>HKPilot – 發生意外問題</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>HKPilot met an unexpected problem. Your document was not changed.
The details were written to the log file; you can copy them for your IT support.</source>
        <translation>HKPilot 遇到意外問題。你的文件沒有被更改。
詳細資料已寫入記錄檔；你可以複製後交給資訊科技支援人員。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Unsaved output was kept in: {folder}</source>
        <translation>未儲存的輸出已保留於：{folder}</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+1"/>
        <source>Copy details</source>
        <translation>複製詳細資料</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Copied</source>
        <translation>已複製</translation>
    </message>
</context>
<context>
    <name>DocumentPane</name>
    <message>
        <location filename="../hkpilot/gui/document_pane.py" line="+90"/>
        <source>Open file…</source>
        <translation>開啟檔案…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open a .docx, .pdf, .xlsx or .txt file (Ctrl+O)</source>
        <translation>開啟 .docx、.pdf、.xlsx 或 .txt 檔案（Ctrl+O）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open file</source>
        <translation>開啟檔案</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Source text</source>
        <translation>原文</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open a file, or drop a .docx, .pdf, .xlsx or .txt file here.</source>
        <translation>開啟檔案，或將 .docx、.pdf、.xlsx 或 .txt 檔案拖放到這裏。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Chooses the document to work on; it is read, never changed</source>
        <translation>選擇要處理的文件；只會讀取，絕不修改</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The text read from the document, read-only</source>
        <translation>從文件讀取的文字，唯讀</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Opening…</source>
        <translation>正在開啟…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No file open</source>
        <translation>未開啟檔案</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Security level set to {level}: only engines cleared for it will receive the document.</source>
        <translation>保密級別已設為 {level}：只有獲准處理此級別的引擎才會收到文件。</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Only the first dropped file was opened.</source>
        <translation>只開啟了拖放的第一個檔案。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Stop the current work before opening another file.</source>
        <translation>請先停止目前的工作，再開啟另一個檔案。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>The source is long: only its beginning is shown here; all of it is used.</source>
        <translation>原文很長：這裏只顯示開首部分，但處理時會使用全文。</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Some parts of the file were not read: {parts}</source>
        <translation>檔案中有部分內容未被讀取：{parts}</translation>
    </message>
</context>
<context>
    <name>DraftPane</name>
    <message>
        <location filename="../hkpilot/gui/draft_pane.py" line="+45"/>
        <source>Memo</source>
        <translation>便箋</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Letter</source>
        <translation>信函</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Circular</source>
        <translation>通告</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Press release</source>
        <translation>新聞稿</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reply to a LegCo question</source>
        <translation>立法會質詢答覆</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Minutes of meeting</source>
        <translation>會議紀錄</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Shorter</source>
        <translation>更精簡</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>More formal</source>
        <translation>更正式</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Plain language</source>
        <translation>淺白易明</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Longer</source>
        <translation>加長</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fix grammar</source>
        <translation>修正文法</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Translate</source>
        <translation>翻譯</translation>
    </message>
    <message>
        <location line="+114"/>
        <source>Document type:</source>
        <translation>文件類型：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Document type</source>
        <translation>文件類型</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Language:</source>
        <translation>語言：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Draft language</source>
        <translation>草擬語言</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Key points:</source>
        <translation>要點：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Key points</source>
        <translation>要點</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>One point a line: who, what, when, and what you ask the reader to do.</source>
        <translation>每行一個要點：誰、甚麼事、何時，以及你要求讀者做甚麼。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reference files (optional)</source>
        <translation>參考檔案（選填）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reference files</source>
        <translation>參考檔案</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Files the draft may draw on; drop files here to add them</source>
        <translation>草擬時可參考的檔案；把檔案拖放到這裏即可加入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add…</source>
        <translation>加入…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add reference files</source>
        <translation>加入參考檔案</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remove selected reference files</source>
        <translation>移除所選的參考檔案</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Draft</source>
        <translation>草稿</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The draft appears here as it is written. You can edit it.</source>
        <translation>草稿會在撰寫時逐步顯示於此，你可以直接修改。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rewrite the selected text:</source>
        <translation>改寫所選文字：</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>What the document must say, one point a line</source>
        <translation>文件須表達的內容，每行一點</translation>
    </message>
</context>
<context>
    <name>FileDialogs</name>
    <message>
        <location filename="../hkpilot/gui/file_dialogs.py" line="+39"/>
        <source>Documents ({patterns})</source>
        <translation>文件 ({patterns})</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+49"/>
        <source>All files (*)</source>
        <translation>所有檔案 (*)</translation>
    </message>
    <message>
        <location line="-43"/>
        <source>Open documents</source>
        <translation>開啟文件</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Open a document</source>
        <translation>開啟文件</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Save as Excel workbook</source>
        <translation>另存為 Excel 活頁簿</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Excel workbooks (*.xlsx)</source>
        <translation>Excel 活頁簿 (*.xlsx)</translation>
    </message>
    <message>
        <location line="+2"/>
        <location filename="../hkpilot/gui/screenshots.py" line="+153"/>
        <source>Save as Word document</source>
        <translation>另存為 Word 文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+41"/>
        <location filename="../hkpilot/gui/screenshots.py" line="+1"/>
        <source>Word documents (*.docx)</source>
        <translation>Word 文件 (*.docx)</translation>
    </message>
    <message>
        <location line="-26"/>
        <source>Replace file?</source>
        <translation>取代檔案？</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name} already exists. Do you want to replace it?</source>
        <translation>{name} 已存在。要取代它嗎？</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Choose a model file</source>
        <translation>選擇模型檔案</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF 模型 (*.gguf)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>PDF documents (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Plain text (*.txt)</source>
        <translation>純文字 (*.txt)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Export</source>
        <translation>匯出</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Choose the folder for the outputs</source>
        <translation>選擇輸出檔案的資料夾</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Add a folder of documents</source>
        <translation>加入整個資料夾的文件</translation>
    </message>
</context>
<context>
    <name>FindingsView</name>
    <message>
        <location filename="../hkpilot/gui/findings_view.py" line="+67"/>
        <source>Check</source>
        <translation>檢查</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Where</source>
        <translation>位置</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>In the text</source>
        <translation>原文字句</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Finding</source>
        <translation>結果</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Glossary violations and script changes</source>
        <translation>不符詞彙表之處及字形轉換</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Review: {violations} glossary violations, {changes} script changes.</source>
        <translation>請核對：{violations} 處不符詞彙表，{changes} 處字形轉換。</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Glossary</source>
        <translation>詞彙表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>translation lacks: {expected}</source>
        <translation>譯文欠缺：{expected}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Script</source>
        <translation>字形</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Memory</source>
        <translation>記憶庫</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>taken from the translation memory</source>
        <translation>取自翻譯記憶庫</translation>
    </message>
</context>
<context>
    <name>GlossaryChooser</name>
    <message>
        <location line="+20"/>
        <source>Choose glossaries</source>
        <translation>選擇詞彙表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Glossaries and translation memories ({patterns})</source>
        <translation>詞彙表及翻譯記憶庫（{patterns}）</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Glossary…</source>
        <translation>詞彙表…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Terms the translation must use (.xlsx, .csv, .tbx) or a translation memory (.tmx)</source>
        <translation>譯文必須採用的詞彙（.xlsx、.csv、.tbx）或翻譯記憶庫（.tmx）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No glossary</source>
        <translation>不用詞彙表</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Translate without a glossary</source>
        <translation>不用詞彙表翻譯</translation>
    </message>
</context>
<context>
    <name>HistoryPane</name>
    <message>
        <location filename="../hkpilot/gui/history_pane.py" line="+40"/>
        <source>Draft</source>
        <translation>草擬</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Translate</source>
        <translation>翻譯</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Summarise</source>
        <translation>摘要</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Finished</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Running or interrupted</source>
        <translation>進行中或已中斷</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>When</source>
        <translation>時間</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Task</source>
        <translation>工作</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>File</source>
        <translation>檔案</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Engine</source>
        <translation>引擎</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Result</source>
        <translation>結果</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Output</source>
        <translation>輸出</translation>
    </message>
    <message>
        <location line="+122"/>
        <location line="+1"/>
        <source>Recent files</source>
        <translation>最近使用的檔案</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Past work</source>
        <translation>過往工作</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Task, file, engine, result and output of each past job</source>
        <translation>每項過往工作的類別、檔案、引擎、結果及輸出</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Kept text</source>
        <translation>保留的文字</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Translate it</source>
        <translation>翻譯此檔案</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Open the selected file on the Translate tab</source>
        <translation>在「翻譯」分頁開啟所選檔案</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Summarise it</source>
        <translation>摘要此檔案</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Open the selected file on the Summarise tab</source>
        <translation>在「摘要」分頁開啟所選檔案</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open output</source>
        <translation>開啟輸出</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Open the saved output with its usual program</source>
        <translation>以慣用的程式開啟已儲存的輸出</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Run again</source>
        <translation>再次執行</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Open the same file with the same choices and run</source>
        <translation>以相同選項開啟同一檔案並執行</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Delete</source>
        <translation>刪除</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Remove the selected job from the history (Delete)</source>
        <translation>從記錄中刪除所選工作（Delete 鍵）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clear history</source>
        <translation>清除記錄</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Remove every job and recent file from the history</source>
        <translation>從記錄中刪除所有工作及最近使用的檔案</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>The text of outputs is kept in the history on this computer (Settings).</source>
        <translation>輸出的文字會保留在本機的記錄中（見「設定」）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Only file names, choices and times are kept here, never the text of your documents. You can change this in Settings.</source>
        <translation>這裏只保留檔案名稱、所選選項及時間，絕不保留文件內容。你可在「設定」中更改。</translation>
    </message>
    <message>
        <location line="+64"/>
        <source>The output {name} is no longer there.</source>
        <translation>輸出檔案 {name} 已不存在。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>The history is empty.</source>
        <translation>記錄已清空。</translation>
    </message>
</context>
<context>
    <name>JobPane</name>
    <message>
        <location filename="../hkpilot/gui/job_pane.py" line="+121"/>
        <location line="+2"/>
        <source>Run</source>
        <translation>執行</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Start the work (Ctrl+Enter)</source>
        <translation>開始工作（Ctrl+Enter）</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+2"/>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Stop the work now (Esc)</source>
        <translation>立即停止工作（Esc）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save as .docx…</source>
        <translation>另存為 .docx…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the output as a new Word document (Ctrl+S)</source>
        <translation>將輸出另存為新的 Word 文件（Ctrl+S）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save as Word document</source>
        <translation>另存為 Word 文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Progress</source>
        <translation>進度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Output</source>
        <translation>輸出</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+188"/>
        <source>%v of %m blocks</source>
        <translation>已完成 %v／%m 段</translation>
    </message>
    <message>
        <location line="-187"/>
        <source>Starts the work with the model; the text appears as it is written</source>
        <translation>以模型開始工作；文字會一邊產生一邊顯示</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stops the work; the text written so far is kept</source>
        <translation>停止工作；已產生的文字會保留</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Saves the output as a new file; the source document is never changed</source>
        <translation>將輸出另存為新檔案；原文件絕不會被修改</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The model&apos;s output. You can edit it before saving.</source>
        <translation>模型的輸出。儲存前可以修改。</translation>
    </message>
    <message>
        <location line="+157"/>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Stopped. The text so far is kept.</source>
        <translation>已停止。已產生的文字會保留。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Unexpected error ({name}). The details are in the log file.</source>
        <translation>發生意外錯誤（{name}）。詳細資料已寫入記錄檔。</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Switched to the local model for this session; the document stays on this computer.</source>
        <translation>今次工作階段已改用本機模型；文件會留在這部電腦上。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Saved {path}</source>
        <translation>已儲存：{path}</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>The output was copied to the clipboard.</source>
        <translation>輸出已複製到剪貼簿。</translation>
    </message>
</context>
<context>
    <name>LevelChooser</name>
    <message>
        <location filename="../hkpilot/gui/level_chooser.py" line="+52"/>
        <source>Security &amp;level:</source>
        <translation>保密級別(&amp;L)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Security level</source>
        <translation>保密級別</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The document&apos;s security marking; you may raise it. Engines not cleared for the level never receive the document.</source>
        <translation>文件的保密標示；你可調高級別。未獲准處理此級別的引擎一律不會收到文件。</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>{level} (marked on the document)</source>
        <translation>{level}（文件上的標示）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Your administrator does not allow a level below the marking found.</source>
        <translation>管理員不容許設定低於文件標示的級別。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../hkpilot/gui/main_window.py" line="+178"/>
        <source>HKPilot – document copilot</source>
        <translation>HKPilot – 文件助手</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Draft</source>
        <translation>草擬</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Draft a memo, letter, circular, press release, LegCo reply or minutes</source>
        <translation>草擬便箋、信函、通告、新聞稿、立法會質詢答覆或會議紀錄</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Translate</source>
        <translation>翻譯</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Translate a document between English and Chinese</source>
        <translation>在英文與中文之間翻譯文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Summarise</source>
        <translation>摘要</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Summarise a document, citing where each point comes from</source>
        <translation>為文件撰寫摘要，並註明每個要點的出處</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Tasks</source>
        <translation>工作</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;File</source>
        <translation>檔案(&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Settings</source>
        <translation>設定(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Language</source>
        <translation>語言(&amp;L)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Help</source>
        <translation>說明(&amp;H)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Open…</source>
        <translation>開啟(&amp;O)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open a document (reference files on the Draft tab)</source>
        <translation>開啟文件（在「草擬」分頁中加入參考檔案）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Save as .docx…</source>
        <translation>另存為 .docx(&amp;S)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Run</source>
        <translation>執行(&amp;R)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>S&amp;top</source>
        <translation>停止(&amp;T)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Quit</source>
        <translation>結束(&amp;Q)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Engine settings…</source>
        <translation>引擎設定(&amp;E)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About HKPilot</source>
        <translation>關於 HKPilot(&amp;A)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Set by your administrator</source>
        <translation>由系統管理員設定</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>狀態</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>{rate} tokens/s</source>
        <translation>{rate} 詞元/秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Elapsed {minutes}:{seconds:02d}</source>
        <translation>已用時間 {minutes}:{seconds:02d}</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>The language choice could not be saved: {error}</source>
        <translation>未能儲存語言選擇：{error}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The Chinese interface file is missing; the interface stays in English.</source>
        <translation>找不到中文介面檔案，介面會維持英文。</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>No system keyring is available: the API key is kept for this session only. To give it to HKPilot every time, set the environment variable HKPILOT_API_KEY.</source>
        <translation>系統沒有可用的密碼庫：API 密鑰只會保留至今次工作階段結束。如要每次都提供密鑰給 HKPilot，請設定環境變數 HKPILOT_API_KEY。</translation>
    </message>
    <message>
        <location line="+3"/>
        <location filename="../hkpilot/gui/screenshots.py" line="+35"/>
        <source>Settings saved. The model will reload when it is next used.</source>
        <translation>設定已儲存。模型會在下次使用時重新載入。</translation>
    </message>
    <message>
        <location line="-258"/>
        <source>About HKPilot</source>
        <translation>關於 HKPilot</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>HKPilot {version}

Drafts, translates and summarises documents with a language model that runs on this computer or on your department&apos;s server. Your source documents are never changed.</source>
        <translation>HKPilot {version}

以在這部電腦或你部門伺服器上運行的語言模型，草擬、翻譯及摘要文件。你的原始文件絕不會被更改。</translation>
    </message>
    <message>
        <location filename="../hkpilot/gui/app.py" line="+67"/>
        <source>Unsaved text from a session that ended unexpectedly is kept in {folder}. Open it from there, then delete it.</source>
        <translation>上次意外結束的工作階段中未儲存的文字已保留在 {folder}。請從該處開啟，然後刪除。</translation>
    </message>
</context>
<context>
    <name>MessageBar</name>
    <message>
        <location filename="../hkpilot/gui/widgets.py" line="+91"/>
        <source>Dismiss this message</source>
        <translation>關閉這則訊息</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Dismiss message</source>
        <translation>關閉訊息</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Messages</source>
        <translation>訊息</translation>
    </message>
</context>
<context>
    <name>ModelManager</name>
    <message>
        <location filename="../hkpilot/gui/model_manager.py" line="+55"/>
        <source>Name</source>
        <translation>名稱</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>File</source>
        <translation>檔案</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Quantization</source>
        <translation>量化</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Chat template</source>
        <translation>對話範本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Status</source>
        <translation>狀態</translation>
    </message>
    <message>
        <location line="+122"/>
        <source>Model manager</source>
        <translation>模型管理</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The model files on this computer; choose one to size and load it</source>
        <translation>本機上的模型檔案；選擇一個以設定大小並載入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add a model file…</source>
        <translation>加入模型檔案…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add a model file</source>
        <translation>加入模型檔案</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a .gguf file anywhere on this computer</source>
        <translation>選擇本機任何位置的 .gguf 檔案</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Models in your models folder, the shared folder and the starter model. Bigger models write better and need more memory.</source>
        <translation>你的模型資料夾、共用資料夾內的模型及入門模型。模型越大，寫得越好，但需要更多記憶體。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Size the load</source>
        <translation>載入設定</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Context size (tokens):</source>
        <translation>上下文長度（詞元）：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Context size</source>
        <translation>上下文長度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How much text the model reads at once; more needs more memory</source>
        <translation>模型一次可讀取的文字量；越多需要越多記憶體</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Layers on the GPU:</source>
        <translation>放在 GPU 的層數：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Layers on the GPU</source>
        <translation>放在 GPU 的層數</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>How many of the model&apos;s layers run on the graphics card (All: every one)</source>
        <translation>模型有多少層在顯示卡上運行（全部：每一層）</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Use and load</source>
        <translation>使用並載入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Use this model with these sizes and load it now, in the background</source>
        <translation>以這些設定使用此模型，並立即在背景載入</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Loading progress</source>
        <translation>載入進度</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Memory estimate</source>
        <translation>記憶體估算</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Free memory</source>
        <translation>可用記憶體</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Whether the load is safe</source>
        <translation>載入是否安全</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>(starter)</source>
        <translation>（入門）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Yes</source>
        <translation>有</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>No (completion only)</source>
        <translation>沒有（只能續寫）</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Not installed (hkpilot models install-starter)</source>
        <translation>未安裝（hkpilot models install-starter）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unreadable</source>
        <translation>無法讀取</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Not allowed by your administrator</source>
        <translation>系統管理員不允許</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>In use</source>
        <translation>使用中</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Chosen</source>
        <translation>已選用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Available</source>
        <translation>可用</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Choose a model to see how much memory it needs.</source>
        <translation>選擇模型以查看所需記憶體。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Needs about {total} GB: the model {weights} GB, the context {kv} GB, working space {extra} GB.</source>
        <translation>約需 {total} GB：模型 {weights} GB、上下文 {kv} GB、運算空間 {extra} GB。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>On the graphics card: {gpu_layers} of {layers} layers ({vram} GB).</source>
        <translation>顯示卡上：{layers} 層中的 {gpu_layers} 層（{vram} GB）。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{free} GB of memory free</source>
        <translation>可用記憶體 {free} GB</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>free memory unknown</source>
        <translation>可用記憶體不詳</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>this build runs models on the CPU only</source>
        <translation>此版本只以 CPU 運行模型</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>free GPU memory unknown</source>
        <translation>GPU 可用記憶體不詳</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{free} GB free on the GPU</source>
        <translation>GPU 可用記憶體 {free} GB</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This computer now: {ram}; {gpu}.</source>
        <translation>本機現時：{ram}；{gpu}。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Safe to load.</source>
        <translation>可以安全載入。</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Warning: {reason}</source>
        <translation>注意：{reason}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Not loaded: {reason}</source>
        <translation>不會載入：{reason}</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>Saving the choice…</source>
        <translation>正在儲存選擇…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Checking and loading the model…</source>
        <translation>正在檢查及載入模型…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Checking and loading the model… {seconds} s</source>
        <translation>正在檢查及載入模型… {seconds} 秒</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Loaded in {seconds} s.</source>
        <translation>已於 {seconds} 秒內載入。</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Could not load: {error}</source>
        <translation>無法載入：{error}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>No model is loaded now; the chosen one loads when it is first used.</source>
        <translation>現時未載入模型；所選模型會在首次使用時載入。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>In use: {name} · runs on {backend} · layers on the GPU {layers} · context {ctx:,} tokens</source>
        <translation>使用中：{name} · 以 {backend} 運行 · GPU 層數 {layers} · 上下文 {ctx:,} 詞元</translation>
    </message>
</context>
<context>
    <name>QFileDialog</name>
    <message>
        <location filename="../hkpilot/gui/file_dialogs.py" line="-114"/>
        <source>&amp;Look in:</source>
        <translation>位置(&amp;L)：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Files of &amp;type:</source>
        <translation>檔案類型(&amp;T)：</translation>
    </message>
</context>
<context>
    <name>QualityTools</name>
    <message>
        <location filename="../hkpilot/gui/bilingual_dialog.py" line="+29"/>
        <source>Check &amp;bilingual consistency…</source>
        <translation>檢查中英文版本是否一致(&amp;B)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Compare the English and Chinese versions of a document</source>
        <translation>比較文件的英文及中文版本</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../hkpilot/gui/settings_dialog.py" line="+53"/>
        <source>Interface</source>
        <translation>介面</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Engine</source>
        <translation>引擎</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Model on this computer</source>
        <translation>本機模型</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+7"/>
        <source>Departmental server</source>
        <translation>部門伺服器</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>Text generation</source>
        <translation>文字生成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>History</source>
        <translation>記錄</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Same as the system</source>
        <translation>跟隨系統</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>On this computer</source>
        <translation>在這部電腦上</translation>
    </message>
    <message>
        <location line="+122"/>
        <source>Engine settings</source>
        <translation>引擎設定</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{label}:</source>
        <translation>{label}：</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Set by your administrator</source>
        <translation>由系統管理員設定</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Browse…</source>
        <translation>瀏覽…</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Choose a model file</source>
        <translation>選擇模型檔案</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>API key:</source>
        <translation>API 密鑰：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>API key</source>
        <translation>API 密鑰</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A key is stored; type a new one to replace it</source>
        <translation>已儲存密鑰；輸入新密鑰即可取代</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kept in the system keyring, never in the settings file</source>
        <translation>存放在系統密碼庫，絕不寫入設定檔</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>Enter the server URL before the API key.</source>
        <translation>請先輸入伺服器網址，再輸入 API 密鑰。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>The settings could not be saved: {error}</source>
        <translation>未能儲存設定：{error}</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <location filename="../hkpilot/gui/window_extras.py" line="+303"/>
        <location line="+1"/>
        <source>Keyboard shortcuts</source>
        <translation>鍵盤快捷鍵</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Action</source>
        <translation>動作</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Keys</source>
        <translation>按鍵</translation>
    </message>
</context>
<context>
    <name>SummarisePane</name>
    <message>
        <location filename="../hkpilot/gui/summarise_pane.py" line="+21"/>
        <source>Short</source>
        <translation>簡短</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Medium</source>
        <translation>中等</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Long</source>
        <translation>詳細</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Length:</source>
        <translation>篇幅：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Summary length</source>
        <translation>摘要篇幅</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Language:</source>
        <translation>語言：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Summary language</source>
        <translation>摘要語言</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The summary appears here as it is written. Points cite the pages or paragraphs they come from.</source>
        <translation>摘要會在撰寫時逐步顯示於此。每個要點都會註明出自哪一頁或哪一段。</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>This summary covers {percent}% of the document; the rest could not be read.</source>
        <translation>這份摘要涵蓋文件的 {percent}%；其餘部分未能讀取。</translation>
    </message>
</context>
<context>
    <name>TranslatePane</name>
    <message>
        <location filename="../hkpilot/gui/translate_pane.py" line="+33"/>
        <source>Traditional Chinese (Hong Kong)</source>
        <translation>繁體中文（香港）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Traditional Chinese (Taiwan)</source>
        <translation>繁體中文（台灣）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Simplified Chinese</source>
        <translation>簡體中文</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>English</source>
        <translation>英文</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Translation only</source>
        <translation>只有譯文</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Side by side (source | translation)</source>
        <translation>左右並列（原文 | 譯文）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Interleaved (source, then translation)</source>
        <translation>逐段對照（原文之後接譯文）</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>Translate into:</source>
        <translation>翻譯成：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Target language</source>
        <translation>目標語言</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The language of the translation</source>
        <translation>譯文的語言</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Layout:</source>
        <translation>版面：</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Output layout</source>
        <translation>輸出版面</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Translation only, or the source and the translation together</source>
        <translation>只輸出譯文，或原文與譯文一併輸出</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Translation</source>
        <translation>譯文</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save as .xlsx…</source>
        <translation>另存為 .xlsx…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Save the translated workbook (Ctrl+S)</source>
        <translation>儲存已翻譯的活頁簿（Ctrl+S）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The translation appears here as it is written.</source>
        <translation>譯文會在翻譯時逐步顯示於此。</translation>
    </message>
    <message>
        <location line="+96"/>
        <source>Saved {path}</source>
        <translation>已儲存：{path}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Saved {path}. Your edits were saved as plain paragraphs, without the original formatting.</source>
        <translation>已儲存：{path}。你修改過的譯文以普通段落儲存，沒有保留原有格式。</translation>
    </message>
</context>
<context>
    <name>WindowExtras</name>
    <message>
        <location filename="../hkpilot/gui/window_extras.py" line="-175"/>
        <source>Batch</source>
        <translation>批次處理</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Translate or summarise several files, one after another</source>
        <translation>逐一翻譯或摘要多個檔案</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>History</source>
        <translation>記錄</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Recent files and past work</source>
        <translation>最近使用的檔案及過往工作</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Task tabs</source>
        <translation>工作分頁</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open &amp;recent</source>
        <translation>最近開啟(&amp;R)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Edit</source>
        <translation>編輯(&amp;E)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;View</source>
        <translation>檢視(&amp;V)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Export…</source>
        <translation>匯出(&amp;E)…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Add files to &amp;batch…</source>
        <translation>加入檔案至批次(&amp;B)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop a&amp;fter this file</source>
        <translation>完成此檔案後停止(&amp;F)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Undo</source>
        <translation>復原(&amp;U)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Copy output</source>
        <translation>複製輸出(&amp;C)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Larger text</source>
        <translation>放大文字(&amp;L)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Smaller text</source>
        <translation>縮小文字(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Normal text size</source>
        <translation>標準文字大小(&amp;N)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Model manager…</source>
        <translation>模型管理(&amp;M)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Keyboard shortcuts</source>
        <translation>鍵盤快捷鍵(&amp;K)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export the output as .docx, .pdf or .txt</source>
        <translation>將輸出匯出為 .docx、.pdf 或 .txt</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>No recent files</source>
        <translation>沒有最近使用的檔案</translation>
    </message>
    <message>
        <location line="+29"/>
        <location line="+27"/>
        <source>{name} is no longer there.</source>
        <translation>{name} 已不存在。</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>The key points were not kept in the history: type them, then press Run.</source>
        <translation>記錄中沒有保留要點：請輸入要點，然後按「執行」。</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>Your draft from last time was restored.</source>
        <translation>已還原你上次的草擬稿。</translation>
    </message>
</context>
<context>
    <name>WorkFeedback</name>
    <message>
        <location filename="../hkpilot/gui/work_feedback.py" line="+35"/>
        <source>Work progress</source>
        <translation>工作進度</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Working… {elapsed}</source>
        <translation>處理中… {elapsed}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>About {left} left</source>
        <translation>約剩 {left}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Stopped after {elapsed}</source>
        <translation>已於 {elapsed} 後停止</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ended with an error after {elapsed}</source>
        <translation>於 {elapsed} 後因錯誤而結束</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Finished in {elapsed}</source>
        <translation>用時 {elapsed} 完成</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{done} of {total} blocks</source>
        <translation>{done}／{total} 段</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{percent}% of the document read</source>
        <translation>已讀取文件的 {percent}%</translation>
    </message>
</context>
</TS>
