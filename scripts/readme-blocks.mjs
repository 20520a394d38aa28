// The README's code blocks and how each is checked. Plain functions shared by the README test and the consumer
// check. A block is checked as the HTML comment that ends on the line just before its fence says:
//
//   <!-- check: node -->       a program, run with Node against the emulator (the Use example)
//   <!-- check: vitest -->     a test file, whose tests run with the others
//   <!-- check: install -->    a shell block: the install command the consumer check runs as written
//   <!-- check: install-registry -->  the same command by package name, for when the packages are published
//                              (the README test checks it against the install block)
//   <!-- check: tsconfig -->   a JSON block: the tsconfig.json the consumer check type-checks the blocks under
//   <!-- check: scenario-training -->  a shell block of `scenario-training` commands, each run as typed on a
//                              folder `./photos` of images over the request limit (by the command line's tests,
//                              and by the consumer check with the installed packages)
//   <!-- check: fragment
//   hidden prelude lines
//   ---
//   hidden epilogue lines
//   -->                        a snippet, run between its prelude and epilogue
//
// The Effect 4 line's blocks take the same kinds prefixed with `effect4-` (`<!-- check: effect4-node -->`,
// `effect4-fragment`, `effect4-vitest`, `effect4-install`, `effect4-install-registry`, `effect4-tsconfig`): they are
// checked by the Effect 4 line's README test (packages/effect4/test/readme.test.ts) and its own scratch project
// in the consumer check.
//
// A `ts` block with no such comment is an error: every example must say how it is kept from rotting.

const fence = /^```(\w*)\s*$/

/**
 * @param {string} markdown
 * @returns {Array<{ line: number, lang: string, code: string, check: { kind: string, prelude: string, epilogue: string } | undefined }>}
 */
export const readmeBlocks = (markdown) => {
  const lines = markdown.split("\n")
  const blocks = []
  let comment
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const open = /^<!--\s*check:\s*(\S+)(.*)$/.exec(line)
    if (open !== null) {
      const start = i
      const kind = open[1]
      const body = []
      let rest = open[2]
      while (!rest.includes("-->")) {
        i++
        if (i >= lines.length) throw new Error(`README line ${start + 1}: unclosed check comment`)
        body.push(lines[i])
        rest = lines[i]
      }
      if (body.length > 0) body.pop() // the closing line, `-->`
      const split = body.indexOf("---")
      comment = {
        end: i,
        check: {
          kind,
          prelude: (split === -1 ? body : body.slice(0, split)).join("\n"),
          epilogue: split === -1 ? "" : body.slice(split + 1).join("\n")
        }
      }
      continue
    }
    const opened = fence.exec(line)
    if (opened !== null) {
      const start = i
      const code = []
      for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) code.push(lines[i])
      blocks.push({
        line: start + 1,
        lang: opened[1],
        code: code.join("\n"),
        check: comment !== undefined && comment.end === start - 1 ? comment.check : undefined
      })
      comment = undefined
    }
  }
  return blocks
}

/**
 * The module a block is checked as: a fragment between its prelude and epilogue, any other block as it is.
 *
 * @param {{ code: string, check: { kind: string, prelude: string, epilogue: string } | undefined }} block
 */
export const moduleOf = (block) =>
  block.check?.kind === "fragment" || block.check?.kind === "effect4-fragment"
    ? `${block.check.prelude}\n${block.code}\n${block.check.epilogue}\n`
    : `${block.code}\n`

/**
 * Which line a block belongs to: `effect4` for the kinds prefixed `effect4-`, `effect3` otherwise.
 *
 * @param {{ check: { kind: string } | undefined }} block
 */
export const lineOf = (block) => block.check?.kind.startsWith("effect4-") ? "effect4" : "effect3"
