import {
  fileNames,
  isPortableFileName,
  MAX_FILE_NAME_BYTES,
  PAIRS_FILE,
  portableFileName,
  STATE_FILE
} from "@effect-scenario/kernel/TrainingSetFiles"
import fc from "fast-check"
import { describe, expect, it } from "vitest"

const utf8 = (text: string) => new TextEncoder().encode(text).length

// Names as a hostile server might send them: any code unit, separators, dots and reserved stems favoured.
const hostileName = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({
    unit: fc.constantFrom(".", "/", "\\", " ", "\u0000", "a", "C", "O", "N", ":", "é", "\ud800"),
    maxLength: 12
  }),
  fc.constantFrom("CON", "con.png", "NUL.tar.gz", "COM1", "lpt9.jpg", "..", ".", "", "../../etc/passwd", "/abs.png"),
  fc.string({ unit: "grapheme", minLength: 200, maxLength: 300 })
)

const isPortable = (name: string) =>
  name !== "" &&
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  !/[\u0000-\u001f\u007f<>:"/\\|?*]/.test(name) &&
  !name.startsWith(".") &&
  !/[. ]$/.test(name) &&
  !/^(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(?:\.|$)/i.test(name) &&
  !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(name) &&
  utf8(name) <= MAX_FILE_NAME_BYTES

describe("portableFileName", () => {
  it("keeps an ordinary name as it is", () => {
    for (const name of ["photo.png", "a b.jpg", "日本 😀.webp", "x~y.gif", "CONSOLE.png", "a.b.c"]) {
      expect(portableFileName(name)).toBe(name)
      expect(isPortableFileName(name)).toBe(true)
    }
  })

  it("renames by the documented rules", () => {
    expect(portableFileName("../../etc/passwd")).toBe("_.._.._etc_passwd")
    expect(portableFileName("/abs.png")).toBe("_abs.png")
    expect(portableFileName("a\\b.png")).toBe("a_b.png")
    expect(portableFileName("a\u0000b\u001b.png")).toBe("a_b_.png")
    expect(portableFileName("what?.png")).toBe("what_.png")
    expect(portableFileName(".hidden")).toBe("_.hidden")
    expect(portableFileName("..")).toBe("___")
    expect(portableFileName(".")).toBe("__")
    expect(portableFileName("trailing. ")).toBe("trailing__")
    expect(portableFileName("CON")).toBe("CON_")
    expect(portableFileName("con.png")).toBe("con_.png")
    expect(portableFileName("COM1.tar.gz")).toBe("COM1_.tar.gz")
    expect(portableFileName("nul ")).toBe("nul _")
    expect(portableFileName("")).toBe("_")
    expect(portableFileName("a\ud800b.png")).toBe("a_b.png")
    const long = `${"é".repeat(200)}.png`
    expect(utf8(portableFileName(long))).toBeLessThanOrEqual(MAX_FILE_NAME_BYTES)
    expect(portableFileName(long).endsWith(".png")).toBe(true)
  })

  it("property: the result is portable, a single segment, and stable (renaming twice changes nothing)", () => {
    fc.assert(
      fc.property(hostileName, (name) => {
        const safe = portableFileName(name)
        expect(isPortable(safe)).toBe(true)
        expect(portableFileName(safe)).toBe(safe)
        expect(isPortableFileName(name)).toBe(safe === name)
      }),
      { numRuns: 2000 }
    )
  })

  it("property: a name that is already portable is kept", () => {
    fc.assert(
      fc.property(hostileName, (name) => {
        if (isPortable(name)) expect(portableFileName(name)).toBe(name)
      }),
      { numRuns: 2000 }
    )
  })

  it("the pull's own files are hidden: no image is ever written under their names", () => {
    for (const file of [PAIRS_FILE, STATE_FILE]) {
      expect(file.startsWith(".")).toBe(true)
      expect(portableFileName(file)).not.toBe(file)
    }
  })
})

const image = fc.record({ id: fc.string({ unit: "binary", minLength: 1, maxLength: 20 }), name: hostileName })
const images = fc.uniqueArray(image, { selector: (entry) => entry.id, maxLength: 30 })

describe("fileNames", () => {
  it("an image whose file is taken gets its id; a portable name is kept before any rename takes it", () => {
    expect(fileNames([
      { id: "i1", name: "a?.png" },
      { id: "i2", name: "a_.png" },
      { id: "i3", name: "A_.PNG" },
      { id: "i4", name: "a_.png" }
    ])).toEqual(["a_~i1.png", "a_.png", "A_~i3.PNG", "a_~i4.png"])
  })

  it("property: one file per image, none equal without case or composition, each portable", () => {
    fc.assert(
      fc.property(images, (list) => {
        const files = fileNames(list)
        expect(files).toHaveLength(list.length)
        const keys = new Set(files.map((file) => file.normalize("NFC").toLowerCase()))
        expect(keys.size).toBe(files.length)
        for (const file of files) expect(isPortable(file)).toBe(true)
      }),
      { numRuns: 1000 }
    )
  })

  it("property: stable: the same listing gives the same files, and a portable unique name keeps its file", () => {
    fc.assert(
      fc.property(images, (list) => {
        const files = fileNames(list)
        expect(fileNames(list.map((entry) => ({ ...entry })))).toEqual(files)
        list.forEach((entry, index) => {
          const unique = list.filter((other) =>
            portableFileName(other.name).normalize("NFC").toLowerCase() ===
              portableFileName(entry.name).normalize("NFC").toLowerCase()
          ).length === 1
          if (isPortableFileName(entry.name) && unique) expect(files[index]).toBe(entry.name)
        })
      }),
      { numRuns: 1000 }
    )
  })
})
