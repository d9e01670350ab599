/*
 * VGA text mode: each cell is a character byte and an attribute byte.
 * The hardware cursor is moved through the CRT controller's index/data
 * ports (registers 0x0E and 0x0F: cursor location high and low).
 * Reference: IBM VGA Technical Reference, "CRT Controller Registers".
 */
#include "vga.h"
#include "memlayout.h"
#include "string.h"
#include "x86.h"

#define VGA_TEXT_PHYS    0xB8000
#define CRTC_INDEX       0x3D4
#define CRTC_DATA        0x3D5
#define CRTC_CURSOR_HIGH 0x0E
#define CRTC_CURSOR_LOW  0x0F
#define TAB_WIDTH        8

static uint16_t *const screen = P2V(VGA_TEXT_PHYS);
static int row, col;
static int top; /* the first console row; rows above it belong to the panel */

static uint16_t cell_attr(char c, uint8_t attr) { return (uint16_t)(attr << 8) | (uint8_t)c; }
static uint16_t cell(char c) { return cell_attr(c, VGA_ATTR_NORMAL); }

static void move_cursor(void)
{
    uint16_t pos = (uint16_t)(row * VGA_COLS + col);
    outb(CRTC_INDEX, CRTC_CURSOR_HIGH);
    outb(CRTC_DATA, pos >> 8);
    outb(CRTC_INDEX, CRTC_CURSOR_LOW);
    outb(CRTC_DATA, pos & 0xFF);
}

static void clear_row(int r)
{
    for (int c = 0; c < VGA_COLS; c++)
        screen[r * VGA_COLS + c] = cell(' ');
}

static void scroll_up(void)
{
    memmove(screen + top * VGA_COLS, screen + (top + 1) * VGA_COLS,
            (VGA_ROWS - 1 - top) * VGA_COLS * sizeof(*screen));
    clear_row(VGA_ROWS - 1);
    row = VGA_ROWS - 1;
}

void vga_init(void)
{
    for (int r = 0; r < VGA_ROWS; r++)
        clear_row(r);
    row = col = 0;
    move_cursor();
}

static void newline(void)
{
    col = 0;
    if (++row == VGA_ROWS)
        scroll_up();
}

void vga_reserve_top_rows(int rows)
{
    for (int r = rows; r < top; r++) /* rows given back start empty */
        clear_row(r);
    top = rows;
    if (row < top)
        row = top, col = 0;
    move_cursor();
}

void vga_write_row(int r, const char *text, uint8_t attr)
{
    int c = 0;

    for (; c < VGA_COLS && text[c]; c++)
        screen[r * VGA_COLS + c] = cell_attr(text[c], attr);
    for (; c < VGA_COLS; c++)
        screen[r * VGA_COLS + c] = cell_attr(' ', attr);
}

/*
 * The escape sequences a full-screen or line-editing program sends, the
 * subset of ECMA-48 (VT100) that Linux's console answers and BusyBox's line
 * editing uses: ESC [ params final, with final
 *   A B C D  cursor up, down, right, left by n (default 1)
 *   H f      cursor to row;col (1-based, counted from the console's top)
 *   G        cursor to column n
 *   J        erase the screen: 0 from the cursor, 1 to it, 2 all
 *   K        erase the line: 0 from the cursor, 1 to it, 2 all
 *   m        colours and attributes: accepted and ignored
 * Anything else is swallowed whole, so it never prints as garbage.
 */
#define ESC            0x1B
#define CSI_PARAMS_MAX 4
#define CSI_PARAM_MAX  1000

static struct {
    enum { PLAIN, SAW_ESC, IN_CSI } state;
    int param[CSI_PARAMS_MAX];
    int count;
} esc;

static int clamp(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; }

static int param_or(int i, int dflt)
{
    return i < esc.count && esc.param[i] > 0 ? esc.param[i] : dflt;
}

static void erase_cells(int from, int to) /* [from, to) of the screen */
{
    for (int i = from; i < to; i++)
        screen[i] = cell(' ');
}

static void erase(char what, int mode)
{
    int here = row * VGA_COLS + col;
    int start = what == 'K' ? row * VGA_COLS : top * VGA_COLS;
    int end = what == 'K' ? (row + 1) * VGA_COLS : VGA_ROWS * VGA_COLS;

    if (mode == 0)
        erase_cells(here, end);
    else if (mode == 1)
        erase_cells(start, here + 1);
    else
        erase_cells(start, end);
}

static void csi_final(char c)
{
    switch (c) {
    case 'A':
        row = clamp(row - param_or(0, 1), top, VGA_ROWS - 1);
        break;
    case 'B':
        row = clamp(row + param_or(0, 1), top, VGA_ROWS - 1);
        break;
    case 'C':
        col = clamp(col + param_or(0, 1), 0, VGA_COLS - 1);
        break;
    case 'D':
        col = clamp(col - param_or(0, 1), 0, VGA_COLS - 1);
        break;
    case 'G':
        col = clamp(param_or(0, 1) - 1, 0, VGA_COLS - 1);
        break;
    case 'H':
    case 'f':
        row = clamp(top + param_or(0, 1) - 1, top, VGA_ROWS - 1);
        col = clamp(param_or(1, 1) - 1, 0, VGA_COLS - 1);
        break;
    case 'J':
    case 'K':
        erase(c, esc.param[0]);
        break;
    default:
        break; /* 'm' and the rest: nothing to draw */
    }
}

/* Feeds one byte to the escape parser; false when it is plain text. */
static bool in_escape(char c)
{
    if (esc.state == PLAIN && c != ESC)
        return false;
    if (esc.state == PLAIN) {
        esc.state = SAW_ESC;
    } else if (esc.state == SAW_ESC) {
        esc.state = c == '[' ? IN_CSI : PLAIN;
        esc.count = 1; /* one parameter, 0 (the default), until digits say more */
        esc.param[0] = 0;
    } else if (c >= '0' && c <= '9') {
        if (esc.param[esc.count - 1] < CSI_PARAM_MAX) /* a screen is smaller anyway */
            esc.param[esc.count - 1] = esc.param[esc.count - 1] * 10 + (c - '0');
    } else if (c == ';') {
        if (esc.count < CSI_PARAMS_MAX)
            esc.param[esc.count++] = 0;
    } else if (c >= '@' && c <= '~') {
        csi_final(c);
        esc.state = PLAIN;
    }
    return true;
}

void vga_putc(char c)
{
    if (in_escape(c)) {
        move_cursor();
        return;
    }
    switch (c) {
    case '\n':
        newline();
        break;
    case '\r':
        col = 0;
        break;
    case '\b': /* back one column, as a terminal does: erasing is the sender's "\b \b" */
        if (col > 0)
            col--;
        break;
    case '\t':
        do
            vga_putc(' ');
        while (col % TAB_WIDTH);
        return;
    default:
        screen[row * VGA_COLS + col] = cell(c);
        if (++col == VGA_COLS)
            newline();
    }
    move_cursor();
}
