;;; emacs_driver.el --- drive healthlint lsp from Emacs (eglot) in batch mode  -*- lexical-binding: t -*-
;; Loaded after docs/editors.md's eglot snippet; writes what Emacs saw to $HEALTHLINT_EMACS_OUT
;; as JSON, for tests/test_editor_emacs.py. Works with Emacs 28 and eglot 1.9 (Debian 12).
(require 'json)
(require 'markdown-mode)

(defvar healthlint-test-seen nil)

(defun healthlint-test-wait (pred seconds what)
  (let ((end (+ (float-time) seconds)))
    (while (and (not (funcall pred)) (< (float-time) end))
      (accept-process-output nil 0.05))
    (or (funcall pred) (error "timed out waiting for %s" what))))

(defun healthlint-test-position (pos)
  (save-excursion
    (goto-char pos)
    (list (line-number-at-pos) (current-column))))

(defun healthlint-test-diagnostics ()
  (let ((found (mapcar (lambda (d)
                         (vconcat (healthlint-test-position (flymake-diagnostic-beg d))
                                  (healthlint-test-position (flymake-diagnostic-end d))
                                  (list (symbol-name (flymake-diagnostic-type d))
                                        (car (split-string (flymake-diagnostic-text d) "\n")))))
                       (flymake-diagnostics))))
    (sort found (lambda (a b) (or (< (aref a 0) (aref b 0))
                                  (and (= (aref a 0) (aref b 0)) (< (aref a 1) (aref b 1))))))))

(defun healthlint-test-has (text)
  (seq-some (lambda (d) (string-match-p (regexp-quote text) (flymake-diagnostic-text d))) (flymake-diagnostics)))

(defun healthlint-test-run ()
  (find-file "article.md")
  (push (cons 'mode (symbol-name major-mode)) healthlint-test-seen)
  ;; eglot-ensure connects after the command that opened the file, as in an interactive Emacs.
  (run-hooks 'post-command-hook)
  (healthlint-test-wait #'eglot-current-server 90 "eglot to connect")
  (healthlint-test-wait (lambda () (healthlint-test-has "[plain-language]")) 90 "the first diagnostics")
  (push (cons 'first (vconcat (healthlint-test-diagnostics))) healthlint-test-seen)
  ;; Hover and quick fixes on "hepatic" (line 8, 0-based column 17), asked through eglot's
  ;; connection with jsonrpc's public API, as ElDoc and eglot-code-actions ask.
  (let* ((server (eglot-current-server))
         (document (list :uri (concat "file://" (expand-file-name buffer-file-name))))
         (at (list :line 7 :character 18))
         (hover (jsonrpc-request server :textDocument/hover (list :textDocument document :position at)))
         (actions (jsonrpc-request server :textDocument/codeAction
                                   (list :textDocument document
                                         :range (list :start (list :line 7 :character 17) :end (list :line 7 :character 24))
                                         :context (list :diagnostics [])))))
    (push (cons 'hover (car (split-string (plist-get (plist-get hover :contents) :value) "\n"))) healthlint-test-seen)
    (push (cons 'actions (vconcat (mapcar (lambda (action) (plist-get action :title)) actions))) healthlint-test-seen))
  ;; An edit: the jargon replaced, and a new claim typed at the end; then the file is saved.
  (goto-char (point-min))
  (search-forward "hepatic")
  (replace-match "liver")
  (goto-char (point-max))
  (insert "\nKratom is a safe replacement for opioids.\n")
  ;; Saving sends the change at once (batch Emacs is never idle, so eglot's idle timer would not).
  (save-buffer)
  (healthlint-test-wait (lambda () (and (healthlint-test-has "[opioid-substitution]")
                                        (not (healthlint-test-has "[plain-language]"))))
                        90 "the check after the edit")
  (push (cons 'after_edit (vconcat (healthlint-test-diagnostics))) healthlint-test-seen))

(condition-case problem
    (healthlint-test-run)
  (error (push (cons 'error (error-message-string problem)) healthlint-test-seen)))
(with-temp-file (getenv "HEALTHLINT_EMACS_OUT")
  (insert (json-encode healthlint-test-seen)))
(kill-emacs 0)
