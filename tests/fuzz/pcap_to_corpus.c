/* SPDX-License-Identifier: BSD-3-Clause */
/* Write every frame of the given pcap files (radiotap stripped) as one file
 * each in a corpus folder, to seed the fuzzers with real frames. With -r,
 * the records of radiotap captures as they are, radiotap header first
 * (for the radiotap parser), and nothing of the others.
 * Usage: pcap_to_corpus [-r] OUT_DIR FILE.pcap... */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <pcap/pcap.h>

int
main(int argc, char **argv)
{
	unsigned long n = 0;
	bool keep_radio = false;
	int first = 1;

	if (argc > 1 && strcmp(argv[1], "-r") == 0) {
		keep_radio = true;
		first = 2;
	}
	if (argc < first + 2) {
		fprintf(stderr, "usage: %s [-r] OUT_DIR FILE.pcap...\n", argv[0]);
		return 2;
	}
	for (int i = first + 1; i < argc; i++) {
		char err[PCAP_ERRBUF_SIZE], path[4096];
		struct pcap_pkthdr *h;
		const unsigned char *p;
		pcap_t *pc = pcap_open_offline(argv[i], err);

		if (pc == NULL) {
			fprintf(stderr, "pcap_to_corpus: %s\n", err);
			continue;
		}
		if (keep_radio && pcap_datalink(pc) != DLT_IEEE802_11_RADIO) {
			pcap_close(pc);
			continue;
		}
		while (pcap_next_ex(pc, &h, &p) == 1) {
			unsigned int off = 0;
			FILE *f;

			if (!keep_radio && pcap_datalink(pc) == DLT_IEEE802_11_RADIO &&
			    h->caplen >= 4)
				off = (unsigned int)(p[2] | p[3] << 8);
			if (off > h->caplen)
				continue;
			snprintf(path, sizeof(path), "%s/frame%05lu", argv[first], n++);
			f = fopen(path, "wb");
			if (f == NULL) {
				perror(path);
				return 1;
			}
			fwrite(p + off, 1, h->caplen - off, f);
			fclose(f);
		}
		pcap_close(pc);
	}
	printf("pcap_to_corpus: %lu frames\n", n);
	return 0;
}
