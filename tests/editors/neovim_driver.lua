-- Drives the healthlint language server from a headless Neovim (0.7 or later) and writes what
-- the editor saw to the JSON file named by $HEALTHLINT_NVIM_OUT; tests/test_editor_neovim.py
-- checks it. Only APIs that Neovim 0.7 has are used.
local out = { steps = {} }
local WAIT = 90000  -- ms: a guard against a hang, not a measurement (a busy machine can take a while)

local function step(name)
  table.insert(out.steps, name)
end

local function diagnostics()
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(0)) do
    local first_line = vim.split(d.message, "\n", { plain = true })[1]
    table.insert(found, { d.lnum, d.col, d.end_lnum, d.end_col, d.code or vim.NIL, d.severity, d.source or vim.NIL, first_line })
  end
  table.sort(found, function(a, b)
    return a[1] < b[1] or (a[1] == b[1] and (a[2] < b[2] or (a[2] == b[2] and a[5] < b[5])))
  end)
  return found
end

local function has(code, line)
  for _, d in ipairs(vim.diagnostic.get(0)) do
    if d.code == code and (line == nil or d.lnum == line) then
      return true
    end
  end
  return false
end

local function wait_until(what, check)
  if not vim.wait(WAIT, check, 20) then
    error("timed out waiting for " .. what)
  end
end

local function request(method, params)
  local answers = vim.lsp.buf_request_sync(0, method, params, WAIT)
  local results = {}
  for _, answer in pairs(answers or {}) do
    if answer.error then
      error(method .. ": " .. vim.inspect(answer.error))
    end
    table.insert(results, answer.result)
  end
  return results
end

local function run()
  wait_until("the first diagnostics", function()
    return has("plain-language")
  end)
  step("diagnostics")
  out.first = diagnostics()
  local client = vim.lsp.get_active_clients()[1]
  out.client = { name = client.name, offset_encoding = client.offset_encoding }

  -- Hover over "hepatic" (line 8, column 18 as the file shows it).
  local hover = request("textDocument/hover", {
    textDocument = vim.lsp.util.make_text_document_params(0),
    position = { line = 7, character = 18 },
  })[1]
  out.hover = hover and hover.contents and (hover.contents.value or hover.contents) or vim.NIL
  step("hover")

  -- The quick fixes offered on "hepatic"; apply the preferred one as the editor would.
  local actions = request("textDocument/codeAction", {
    textDocument = vim.lsp.util.make_text_document_params(0),
    range = { start = { line = 7, character = 17 }, ["end"] = { line = 7, character = 24 } },
    context = { diagnostics = {} },
  })[1] or {}
  out.actions = {}
  local preferred
  for _, action in ipairs(actions) do
    table.insert(out.actions, { action.title, action.isPreferred == true, action.kind or vim.NIL })
    if action.isPreferred then
      preferred = action
    end
  end
  vim.lsp.util.apply_workspace_edit(preferred.edit, client.offset_encoding)
  out.after_fix_text = vim.api.nvim_buf_get_lines(0, 0, -1, false)
  step("quick fix")
  wait_until("the check after the fix", function()
    return not has("plain-language")
  end)
  out.after_fix = diagnostics()

  -- Type a new claim at the end; healthlint checks the buffer again.
  local last = vim.api.nvim_buf_line_count(0)
  vim.api.nvim_buf_set_lines(0, last, last, false, { "", "Kratom is a safe replacement for opioids." })
  wait_until("the check after the edit", function()
    return has("opioid-substitution", last + 1)
  end)
  out.after_edit = diagnostics()
  step("edit")
end

local ok, problem = pcall(run)
out.error = ok and vim.NIL or tostring(problem)
vim.fn.writefile({ vim.fn.json_encode(out) }, os.getenv("HEALTHLINT_NVIM_OUT"))
vim.cmd("qall!")
