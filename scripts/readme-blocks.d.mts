export interface Check {
  readonly kind: string
  readonly prelude: string
  readonly epilogue: string
}

export interface Block {
  readonly line: number
  readonly lang: string
  readonly code: string
  readonly check: Check | undefined
}

export declare const readmeBlocks: (markdown: string) => Array<Block>

export declare const moduleOf: (block: Pick<Block, "code" | "check">) => string

export declare const lineOf: (block: Pick<Block, "check">) => "effect3" | "effect4"
