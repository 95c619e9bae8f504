#ifndef CACHETOP_CNCURSES_SHIM_H
#define CACHETOP_CNCURSES_SHIM_H

// The wide-character ncurses API (ncursesw). Swift cannot use C globals that are mutable
// (stdscr, COLORS, COLS, LINES) or function-like macros (KEY_F, A_BOLD): the inline
// functions below expose them.
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>

static inline WINDOW *cachetop_stdscr(void) { return stdscr; }
static inline int cachetop_colors(void) { return COLORS; }
static inline int cachetop_color_pairs(void) { return COLOR_PAIRS; }
static inline int cachetop_cols(void) { return COLS; }
static inline int cachetop_lines(void) { return LINES; }
static inline int cachetop_key_f(int n) { return KEY_F(n); }
static inline attr_t cachetop_a_bold(void) { return A_BOLD; }
static inline attr_t cachetop_a_reverse(void) { return A_REVERSE; }
static inline attr_t cachetop_a_dim(void) { return A_DIM; }
static inline attr_t cachetop_a_underline(void) { return A_UNDERLINE; }
static inline void cachetop_set_escdelay(int ms) { set_escdelay(ms); }

#endif
