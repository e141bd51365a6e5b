"""Readers for files that are not text: each turns a file's bytes into a SourceText (stage 1).

formats.py names a format's reader as "module:function"; it is imported only when such a file
is read, so a Markdown run never imports a Word library.
"""
