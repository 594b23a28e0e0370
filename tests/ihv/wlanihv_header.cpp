/* SPDX-License-Identifier: BSD-3-Clause */
/* wlanihv.h as C++: the checks of wlanihv_header.c. */
#include "wlanihv_header.c"
