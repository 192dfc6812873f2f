"""Readers and writers for .docx, .pdf, .xlsx and .txt over a neutral Document model."""
