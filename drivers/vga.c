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

#define VGA_TEXT_PHYS 0xB8000
#define CRTC_INDEX 0x3D4
#define CRTC_DATA 0x3D5
#define CRTC_CURSOR_HIGH 0x0E
#define CRTC_CURSOR_LOW 0x0F
#define TAB_WIDTH 8

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

void vga_putc(char c)
{
    switch (c) {
    case '\n':
        newline();
        break;
    case '\r':
        col = 0;
        break;
    case '\b':
        if (col > 0)
            screen[row * VGA_COLS + --col] = cell(' ');
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
