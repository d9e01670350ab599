/*
 * The CMOS real-time clock (Motorola MC146818 and its PC descendants): the
 * wall-clock time, read once at boot. Index port 0x70 selects a register
 * (its bit 7 also masks NMI, left clear), port 0x71 reads it.
 *
 * Registers (MC146818A data sheet, "Address Map"): seconds 0x00, minutes
 * 0x02, hours 0x04, day of month 0x07, month 0x08, year 0x09 (two digits);
 * status A 0x0A (bit 7: an update is in progress), status B 0x0B (bit 2:
 * binary rather than BCD, bit 1: 24-hour mode). The century is not in the
 * chip: Relay takes years 70-99 as 19xx and 00-69 as 20xx.
 */
#include "rtc.h"
#include "x86.h"

#define CMOS_INDEX       0x70
#define CMOS_DATA        0x71
#define RTC_SECONDS      0x00
#define RTC_MINUTES      0x02
#define RTC_HOURS        0x04
#define RTC_DAY          0x07
#define RTC_MONTH        0x08
#define RTC_YEAR         0x09
#define RTC_STATUS_A     0x0A
#define RTC_STATUS_B     0x0B
#define RTC_A_UPDATING   0x80
#define RTC_B_BINARY     0x04
#define RTC_B_24_HOUR    0x02
#define RTC_HOUR_PM      0x80
#define RTC_UPDATE_POLLS 100000
#define RTC_READ_TRIES   10 /* for two equal readings in a row */
#define SECONDS_PER_DAY  86400
#define EPOCH_YEAR_PIVOT 70 /* two-digit years below it are 20xx */

struct rtc_time {
    unsigned sec, min, hour, day, month, year;
};

static uint8_t cmos_read(uint8_t reg)
{
    outb(CMOS_INDEX, reg);
    return inb(CMOS_DATA);
}

static unsigned from_bcd(uint8_t v) { return (v >> 4) * 10 + (v & 0x0F); }

static void read_raw(struct rtc_time *t)
{
    for (int i = 0; i < RTC_UPDATE_POLLS && (cmos_read(RTC_STATUS_A) & RTC_A_UPDATING); i++)
        cpu_relax();
    t->sec = cmos_read(RTC_SECONDS);
    t->min = cmos_read(RTC_MINUTES);
    t->hour = cmos_read(RTC_HOURS);
    t->day = cmos_read(RTC_DAY);
    t->month = cmos_read(RTC_MONTH);
    t->year = cmos_read(RTC_YEAR);
}

/* BCD or binary, 12- or 24-hour, as status B says. */
static void normalize(struct rtc_time *t, uint8_t status_b)
{
    bool pm = t->hour & RTC_HOUR_PM;

    t->hour &= ~RTC_HOUR_PM;
    if (!(status_b & RTC_B_BINARY)) {
        t->sec = from_bcd(t->sec), t->min = from_bcd(t->min), t->hour = from_bcd(t->hour);
        t->day = from_bcd(t->day), t->month = from_bcd(t->month), t->year = from_bcd(t->year);
    }
    if (!(status_b & RTC_B_24_HOUR))
        t->hour = t->hour % 12 + (pm ? 12 : 0);
    t->year += t->year < EPOCH_YEAR_PIVOT ? 2000 : 1900;
}

/* Days from 1970-01-01 to a civil date (the proleptic Gregorian calendar). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int64_t rtc_read_unix_time(void)
{
    struct rtc_time a, b;

    /* Two equal readings in a row: no update slipped in between. */
    for (int i = 0; i < RTC_READ_TRIES; i++) {
        read_raw(&a);
        read_raw(&b);
        if (a.sec == b.sec && a.min == b.min && a.hour == b.hour && a.day == b.day)
            break;
    }
    normalize(&a, cmos_read(RTC_STATUS_B));
    return days_from_civil(a.year, a.month, a.day) * SECONDS_PER_DAY + a.hour * 3600 + a.min * 60 +
           a.sec;
}
