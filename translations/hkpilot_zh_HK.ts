<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_HK">
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
        <location filename="../hkpilot/gui/document_pane.py" line="+76"/>
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
        <location line="+6"/>
        <source>Opening…</source>
        <translation>正在開啟…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No file open</source>
        <translation>未開啟檔案</translation>
    </message>
    <message>
        <location line="+19"/>
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
        <location line="+6"/>
        <source>Some parts of the file were not read: {parts}</source>
        <translation>檔案中有部分內容未被讀取：{parts}</translation>
    </message>
</context>
<context>
    <name>DraftPane</name>
    <message>
        <location filename="../hkpilot/gui/draft_pane.py" line="+42"/>
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
        <location line="+97"/>
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
</context>
<context>
    <name>FileDialogs</name>
    <message>
        <location filename="../hkpilot/gui/file_dialogs.py" line="+32"/>
        <source>Documents ({patterns})</source>
        <translation>文件 ({patterns})</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+37"/>
        <source>All files (*)</source>
        <translation>所有檔案 (*)</translation>
    </message>
    <message>
        <location line="-31"/>
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
        <source>Save as Word document</source>
        <translation>另存為 Word 文件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Word documents (*.docx)</source>
        <translation>Word 文件 (*.docx)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Choose a model file</source>
        <translation>選擇模型檔案</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GGUF models (*.gguf)</source>
        <translation>GGUF 模型 (*.gguf)</translation>
    </message>
</context>
<context>
    <name>JobPane</name>
    <message>
        <location filename="../hkpilot/gui/job_pane.py" line="+113"/>
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
        <location line="+108"/>
        <source>%v of %m blocks</source>
        <translation>已完成 %v／%m 段</translation>
    </message>
    <message>
        <location line="-23"/>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Stopped. The text so far is kept.</source>
        <translation>已停止。已產生的文字會保留。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Unexpected error ({name}). The details are in the log file.</source>
        <translation>發生意外錯誤（{name}）。詳細資料已寫入記錄檔。</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Saved {path}</source>
        <translation>已儲存：{path}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../hkpilot/gui/main_window.py" line="+157"/>
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
        <location line="+63"/>
        <source>{rate} tokens/s</source>
        <translation>{rate} 詞元/秒</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Elapsed {minutes}:{seconds:02d}</source>
        <translation>已用時間 {minutes}:{seconds:02d}</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>The language choice could not be saved: {error}</source>
        <translation>未能儲存語言選擇：{error}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The Chinese interface file is missing; the interface stays in English.</source>
        <translation>找不到中文介面檔案，介面會維持英文。</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>No system keyring is available: the API key is kept for this session only.</source>
        <translation>系統沒有可用的密碼庫：API 密鑰只會在今次使用期間保留。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Settings saved. The model will reload when it is next used.</source>
        <translation>設定已儲存。模型會在下次使用時重新載入。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>About HKPilot</source>
        <translation>關於 HKPilot</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>HKPilot {version}

Drafts, translates and summarises documents with a language model that runs on this computer or on your department&apos;s server. Your source documents are never changed.</source>
        <translation>HKPilot {version}

以在這部電腦或你部門伺服器上運行的語言模型，草擬、翻譯及摘要文件。你的原始文件絕不會被更改。</translation>
    </message>
</context>
<context>
    <name>MessageBar</name>
    <message>
        <location filename="../hkpilot/gui/widgets.py" line="+71"/>
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
    <name>SettingsDialog</name>
    <message>
        <location filename="../hkpilot/gui/settings_dialog.py" line="+45"/>
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
        <location line="+6"/>
        <source>Departmental server</source>
        <translation>部門伺服器</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Text generation</source>
        <translation>文字生成</translation>
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
        <location line="+105"/>
        <source>Engine settings</source>
        <translation>引擎設定</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{label}:</source>
        <translation>{label}：</translation>
    </message>
    <message>
        <location line="+4"/>
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
        <location line="+37"/>
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
    <name>SummarisePane</name>
    <message>
        <location filename="../hkpilot/gui/summarise_pane.py" line="+20"/>
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
        <location line="+31"/>
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
        <location line="+24"/>
        <source>This summary covers {percent}% of the document; the rest could not be read.</source>
        <translation>這份摘要涵蓋文件的 {percent}%；其餘部分未能讀取。</translation>
    </message>
</context>
<context>
    <name>TranslatePane</name>
    <message>
        <location filename="../hkpilot/gui/translate_pane.py" line="+31"/>
        <source>Traditional Chinese (Hong Kong)</source>
        <translation>繁體中文（香港）</translation>
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
        <location line="+41"/>
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
        <location line="+55"/>
        <source>Saved {path}</source>
        <translation>已儲存：{path}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Saved {path}. Your edits were saved as plain paragraphs, without the original formatting.</source>
        <translation>已儲存：{path}。你修改過的譯文以普通段落儲存，沒有保留原有格式。</translation>
    </message>
</context>
</TS>
