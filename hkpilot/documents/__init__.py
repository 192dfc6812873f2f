"""Readers and writers for .docx, .pdf, .xlsx and .txt over a neutral Document model.

Entry points (imported from their modules so that importing the model stays cheap):
``loader.load_document``, ``docx_writer.save_translated_copy`` / ``write_new_docx`` /
``set_paragraph_text``, ``xlsx_reader.save_translated_workbook``, ``pdf_reader.OCR_HOOK``.
"""
