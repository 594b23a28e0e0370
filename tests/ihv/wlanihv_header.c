/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * include/dot11tx/wlanihv.h as an IHV vendor's code meets it: compiled as
 * strict C99 (-std=c99 -pedantic -Werror) from this file, and as C++
 * (-Wall -Wextra -Werror) from wlanihv_header.cpp, which includes this
 * one. The build is the test: the checks below are compile-time, on the
 * widths and layouts that must match Windows' for extension code to
 * compile unchanged and mean the same. The program prints what it checked.
 */

#include <stddef.h>
#include <stdio.h>

#include <dot11tx/wlanihv.h>

#ifdef __cplusplus
#define CHECK(e) static_assert(e, #e)
#else
/* C99 has no static_assert: an array of negative size fails the build. */
#define CHECK_NAME2(line) wlanihv_check_##line
#define CHECK_NAME(line) CHECK_NAME2(line)
#define CHECK(e) typedef char CHECK_NAME(__LINE__)[(e) ? 1 : -1]
#endif

/* Windows' widths, not Linux's (unsigned long is 8 bytes here). */
CHECK(sizeof(DWORD) == 4);
CHECK(sizeof(ULONG) == 4);
CHECK(sizeof(ULONGLONG) == 8);
CHECK(sizeof(LONG) == 4);
CHECK(sizeof(USHORT) == 2);
CHECK(sizeof(WCHAR) == 2);
CHECK(sizeof(BOOL) == 4);
CHECK(sizeof(GUID) == 16);
CHECK(offsetof(GUID, Data4) == 8);
CHECK(sizeof(DOT11_MAC_ADDRESS) == 6);
/* Dot11ExtSendPacket's buffer: DA, EtherType, payload, packed. */
CHECK(offsetof(DOT11_SECURITY_PACKET_HEADER, usEtherType) == 6);
CHECK(offsetof(DOT11_SECURITY_PACKET_HEADER, Data) == 8);
CHECK(sizeof(DOT11_CURRENT_OPERATION_MODE) == 8);
CHECK(offsetof(DOT11_ADAPTER, pszDescription) == 16);
/* The tables: 22 APIs and 19 handlers, every member a function pointer. */
CHECK(sizeof(DOT11EXT_APIS) == 22 * sizeof(void (*)(void)));
CHECK(sizeof(DOT11EXT_IHV_HANDLERS) == 19 * sizeof(void (*)(void)));
CHECK(offsetof(DOT11EXT_APIS, Dot11ExtSendPacket) == 9 * sizeof(void (*)(void)));
CHECK(offsetof(DOT11EXT_IHV_HANDLERS, Dot11ExtIhvSendPacketCompletion) ==
      13 * sizeof(void (*)(void)));
CHECK(ERROR_SUCCESS == 0 && ERROR_INVALID_STATE == 5023u);

/* An extension's entry points, as a vendor declares them. */
static DWORD WINAPI
get_version(PDOT11_IHV_VERSION_INFO v)
{
	v->dwVerMin = 0;
	v->dwVerMax = 0;
	return ERROR_SUCCESS;
}

int
main(void)
{
	DOT11_IHV_VERSION_INFO v = { 1, 1 };
	const DOT11EXTIHV_GET_VERSION_INFO entry = get_version;

	if (entry(&v) != ERROR_SUCCESS || v.dwVerMin != 0 || v.dwVerMax != 0)
		return 1;
#ifdef __cplusplus
	printf("wlanihv.h compiles as C++ %ld (-Wall -Wextra -Werror): layouts checked\n",
	       (long)__cplusplus);
#else
	printf("wlanihv.h compiles as C99 (-pedantic -Werror): layouts checked\n");
#endif
	return 0;
}
