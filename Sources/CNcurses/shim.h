#ifndef PARLEY_CNCURSES_SHIM_H
#define PARLEY_CNCURSES_SHIM_H
// ncurses with wide characters (UTF-8 names and texts). Its attributes and
// a few constants are C macros Swift cannot import: these functions give
// them to Swift by value.
#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <ncursesw/curses.h>
#include <locale.h>
#include <wchar.h>

static inline int parley_keypad_on(void) { return keypad(stdscr, TRUE); }
static inline int parley_char_width(unsigned int c) { return wcwidth((wchar_t)c); }

static inline int parley_color_pair(short pair) { return (int)COLOR_PAIR(pair); }
static inline int parley_attr_bold(void) { return (int)A_BOLD; }
static inline int parley_attr_reverse(void) { return (int)A_REVERSE; }
static inline int parley_attr_dim(void) { return (int)A_DIM; }
static inline int parley_key_resize(void) { return KEY_RESIZE; }
static inline int parley_key_backspace(void) { return KEY_BACKSPACE; }
static inline int parley_key_up(void) { return KEY_UP; }
static inline int parley_key_down(void) { return KEY_DOWN; }
static inline int parley_key_enter(void) { return KEY_ENTER; }
static inline int parley_lines(void) { return LINES; }
static inline int parley_cols(void) { return COLS; }
static inline int parley_add_text(int y, int x, const char *text, int attributes) {
    attron(attributes);
    int result = mvaddstr(y, x, text);
    attroff(attributes);
    return result;
}
#endif
