import CNcurses
import Foundation
import ParleyCore

/// The screen, through ncurses: cbreak mode without echo, the keypad on,
/// colours only on a terminal that has them and never with `NO_COLOR`. The
/// terminal is always left as it was found: on quit, on Ctrl-C and on a
/// crash signal (each restores it before the process ends).
final class Terminal {
    /// A key press: a character typed, a function key, or the window resized.
    enum Key: Equatable {
        case character(Character)
        case up, down, enter, backspace, escape, resize
        case other(Int32)
    }

    enum Tone: Int16 { case normal = 0, red, green, yellow, cyan }

    let colors: Bool

    /// Starts ncurses on the process's terminal. `pollMilliseconds` is how long a key read waits.
    init(noColor: Bool, pollMilliseconds: Int32) {
        setlocale(LC_ALL, "")
        initscr()
        Terminal.installRestoringHandlers()
        cbreak()
        noecho()
        parley_keypad_on()
        set_escdelay(25)
        timeout(pollMilliseconds)
        curs_set(0)
        colors = !noColor && has_colors()
        if colors {
            start_color()
            use_default_colors()
            init_pair(Tone.red.rawValue, Int16(COLOR_RED), -1)
            init_pair(Tone.green.rawValue, Int16(COLOR_GREEN), -1)
            init_pair(Tone.yellow.rawValue, Int16(COLOR_YELLOW), -1)
            init_pair(Tone.cyan.rawValue, Int16(COLOR_CYAN), -1)
        }
    }

    var rows: Int { Int(parley_lines()) }
    var columns: Int { Int(parley_cols()) }

    /// Gives the terminal back as it was.
    func stop() { endwin() }

    /// Leaves the screen for a program that needs the terminal (the editor), then takes it back.
    func suspend<T>(_ body: () throws -> T) rethrows -> T {
        def_prog_mode()
        endwin()
        defer {
            reset_prog_mode()
            refresh()
        }
        return try body()
    }

    func clear() { erase() }

    /// Writes `text` at a row and column, cut to the screen's width.
    func write(_ text: String, row: Int, column: Int = 0, width: Int? = nil, bold: Bool = false, reverse: Bool = false,
               dim: Bool = false, tone: Tone = .normal) {
        guard row >= 0, row < rows, column < columns else { return }
        let room = min(width ?? (columns - column), columns - column)
        guard room > 0 else { return }
        var shown = Terminal.fit(text, room)
        if reverse { shown += String(repeating: " ", count: max(0, room - Terminal.width(of: shown))) }
        var attributes: Int32 = 0
        if bold { attributes |= parley_attr_bold() }
        if reverse { attributes |= parley_attr_reverse() }
        if dim { attributes |= parley_attr_dim() }
        if colors, tone != .normal { attributes |= parley_color_pair(tone.rawValue) }
        _ = parley_add_text(Int32(row), Int32(column), shown, attributes)
    }

    func show() { refresh() }

    /// The next key, or nil when none came within the poll time.
    func readKey() -> Key? {
        var character: wint_t = 0
        let result = get_wch(&character)
        if result == ERR { return nil }
        if result == KEY_CODE_YES {
            switch Int32(character) {
            case parley_key_resize(): return .resize
            case parley_key_up(): return .up
            case parley_key_down(): return .down
            case parley_key_enter(): return .enter
            case parley_key_backspace(): return .backspace
            default: return .other(Int32(character))
            }
        }
        switch character {
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        default:
            guard let scalar = Unicode.Scalar(UInt32(character)) else { return .other(Int32(character)) }
            return .character(Character(scalar))
        }
    }

    /// How many columns `text` takes: wide characters (CJK, most emoji) take two.
    static func width(of text: String) -> Int {
        text.unicodeScalars.reduce(0) { sum, scalar in
            let width = parley_char_width(scalar.value)
            return sum + (width < 0 ? 1 : Int(width))
        }
    }

    /// `text` cut to `columns`, with `…` where it was cut; line breaks become spaces.
    static func fit(_ text: String, _ columns: Int) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\t", with: " ")
        guard width(of: flat) > columns else { return flat }
        var result = ""
        var used = 0
        for character in flat {
            let next = width(of: String(character))
            if used + next > columns - 1 { break }
            result.append(character)
            used += next
        }
        return result + "…"
    }

    /// Ctrl-C, a terminal hang-up, `kill`, and the signals a crash raises:
    /// each gives the terminal back before the process ends as it would have.
    private static func installRestoringHandlers() {
        for signalNumber in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
            signal(signalNumber) { received in
                endwin()
                signal(received, SIG_DFL)
                raise(received)
            }
        }
    }
}
