package output

import (
	"strconv"
	"time"
)

// AppendStrftime appends t formatted by a C strftime format, as bpftrace's
// time() prints it. It knows the conversions of C99 and POSIX that do not
// depend on the locale beyond the "C" locale; an unknown conversion is
// copied as written.
func AppendStrftime(dst []byte, format string, t time.Time) []byte {
	for i := 0; i < len(format); i++ {
		c := format[i]
		if c != '%' || i+1 == len(format) {
			dst = append(dst, c)
			continue
		}
		i++
		switch format[i] {
		case '%':
			dst = append(dst, '%')
		case 'n':
			dst = append(dst, '\n')
		case 't':
			dst = append(dst, '\t')
		case 'a':
			dst = append(dst, t.Weekday().String()[:3]...)
		case 'A':
			dst = append(dst, t.Weekday().String()...)
		case 'b', 'h':
			dst = append(dst, t.Month().String()[:3]...)
		case 'B':
			dst = append(dst, t.Month().String()...)
		case 'c':
			dst = AppendStrftime(dst, "%a %b %e %H:%M:%S %Y", t)
		case 'C':
			dst = pad(dst, t.Year()/100, 2, '0')
		case 'd':
			dst = pad(dst, t.Day(), 2, '0')
		case 'D':
			dst = AppendStrftime(dst, "%m/%d/%y", t)
		case 'e':
			dst = pad(dst, t.Day(), 2, ' ')
		case 'F':
			dst = AppendStrftime(dst, "%Y-%m-%d", t)
		case 'H':
			dst = pad(dst, t.Hour(), 2, '0')
		case 'I':
			dst = pad(dst, hour12(t), 2, '0')
		case 'j':
			dst = pad(dst, t.YearDay(), 3, '0')
		case 'k':
			dst = pad(dst, t.Hour(), 2, ' ')
		case 'l':
			dst = pad(dst, hour12(t), 2, ' ')
		case 'm':
			dst = pad(dst, int(t.Month()), 2, '0')
		case 'M':
			dst = pad(dst, t.Minute(), 2, '0')
		case 'p':
			if t.Hour() < 12 {
				dst = append(dst, "AM"...)
			} else {
				dst = append(dst, "PM"...)
			}
		case 'r':
			dst = AppendStrftime(dst, "%I:%M:%S %p", t)
		case 'R':
			dst = AppendStrftime(dst, "%H:%M", t)
		case 's':
			dst = strconv.AppendInt(dst, t.Unix(), 10)
		case 'S':
			dst = pad(dst, t.Second(), 2, '0')
		case 'T':
			dst = AppendStrftime(dst, "%H:%M:%S", t)
		case 'u':
			dst = strconv.AppendInt(dst, int64((int(t.Weekday())+6)%7+1), 10)
		case 'w':
			dst = strconv.AppendInt(dst, int64(t.Weekday()), 10)
		case 'x':
			dst = AppendStrftime(dst, "%m/%d/%y", t)
		case 'X':
			dst = AppendStrftime(dst, "%H:%M:%S", t)
		case 'y':
			dst = pad(dst, t.Year()%100, 2, '0')
		case 'Y':
			dst = strconv.AppendInt(dst, int64(t.Year()), 10)
		case 'z':
			dst = t.AppendFormat(dst, "-0700")
		case 'Z':
			dst = t.AppendFormat(dst, "MST")
		default:
			dst = append(dst, '%', format[i])
		}
	}
	return dst
}

func hour12(t time.Time) int {
	h := t.Hour() % 12
	if h == 0 {
		h = 12
	}
	return h
}

// pad appends n in decimal, left-padded with c to width digits.
func pad(dst []byte, n, width int, c byte) []byte {
	s := strconv.Itoa(n)
	for i := len(s); i < width; i++ {
		dst = append(dst, c)
	}
	return append(dst, s...)
}
