//! The odd multiples G, 3G, …, 63G of P-256's generator, in affine coordinates (words least
//! significant first). Computed once with exact integer arithmetic; the tests recompute them
//! with p256.

use super::Affine;

/// (2i + 1)·G at index i.
pub(super) const G_ODD_MULTIPLES: [Affine; 32] = [
    // 1G
    Affine::new(
        [
            0xd898c296, 0xf4a13945, 0x2deb33a0, 0x77037d81, 0x63a440f2, 0xf8bce6e5, 0xe12c4247,
            0x6b17d1f2,
        ],
        [
            0x37bf51f5, 0xcbb64068, 0x6b315ece, 0x2bce3357, 0x7c0f9e16, 0x8ee7eb4a, 0xfe1a7f9b,
            0x4fe342e2,
        ],
    ),
    // 3G
    Affine::new(
        [
            0xc6e7fd6c, 0xfb41661b, 0xefada985, 0xe6c6b721, 0x1d4bf165, 0xc8f7ef95, 0xa6330a44,
            0x5ecbe4d1,
        ],
        [
            0xa27d5032, 0x9a79b127, 0x384fb83d, 0xd82ab036, 0x1a64a2ec, 0x374b06ce, 0x4998ff7e,
            0x8734640c,
        ],
    ),
    // 5G
    Affine::new(
        [
            0xc3d033ed, 0x21554a0d, 0x1f5be524, 0xef8c82fd, 0x08668fdf, 0xd784c856, 0x515140d2,
            0x51590b7a,
        ],
        [
            0xfda16da4, 0xd1d0bb44, 0xd4d80888, 0x0d012f00, 0xbf8a7926, 0x8ae1bf36, 0x904a727d,
            0xe0c17da8,
        ],
    ),
    // 7G
    Affine::new(
        [
            0x3187b2a3, 0x30062870, 0xa80fef5b, 0x7ef9f8b8, 0x7c01fb60, 0x25bb3066, 0xa0bf7b46,
            0x8e533b6f,
        ],
        [
            0xc1f400b4, 0xc55e1a86, 0xcb041b21, 0x53c73633, 0xa6f59000, 0x6d069f83, 0xe0331836,
            0x73eb1dbd,
        ],
    ),
    // 9G
    Affine::new(
        [
            0x90949ee0, 0xd79e8a4b, 0x2c6df8b3, 0x9e0acb8c, 0x1d71f872, 0x878938d5, 0xfedf0b71,
            0xea68d7b6,
        ],
        [
            0x4dd048fa, 0xe85a224a, 0xa4de823f, 0x4d714fea, 0x4a8ea0c8, 0x87014a96, 0x72c9fce7,
            0x2a2744c9,
        ],
    ),
    // 11G
    Affine::new(
        [
            0x74bc21d1, 0x433391d3, 0x255048bf, 0x16742ed0, 0xb0c21cda, 0x0638379d, 0x883b4c59,
            0x3ed113b7,
        ],
        [
            0xe82a3740, 0xe2f8eefc, 0x5e9889da, 0x090d04da, 0xa4f4c68a, 0x24c843af, 0xccc4c8a2,
            0x9099209a,
        ],
    ),
    // 13G
    Affine::new(
        [
            0x46072c01, 0x98e15d9d, 0x65ead58a, 0x792e284b, 0xd85ee2fc, 0x61805df2, 0xe0ac495a,
            0x177c837a,
        ],
        [
            0xefc7bfd8, 0x9c43bbe2, 0xa1fb4df3, 0x26ee14c3, 0xb40f4e72, 0xa24091ad, 0x4ebea558,
            0x63bb58cd,
        ],
    ),
    // 15G
    Affine::new(
        [
            0xe59b9d5f, 0x63668c63, 0xde3a0ef1, 0xae03af92, 0x99888265, 0xadfb3789, 0x971abae7,
            0xf0454dc6,
        ],
        [
            0x0d034f36, 0x47e59cde, 0x75b5fa3f, 0x2a3b21ce, 0x1f9643e6, 0x4e6594e5, 0x592e2d1f,
            0xb5b93ee3,
        ],
    ),
    // 17G
    Affine::new(
        [
            0x4738a73e, 0xba1abce3, 0xf0d64af8, 0x5fa68678, 0x6f75301a, 0x9c0984b6, 0xc0f1cc3a,
            0x47776904,
        ],
        [
            0x71f1fcdc, 0x32f787ff, 0x28d5733f, 0x81b28044, 0x77648e83, 0x62318565, 0xb5b95728,
            0xaa005ee6,
        ],
    ),
    // 19G
    Affine::new(
        [
            0xab03ed83, 0xc1fc7b74, 0x57884895, 0x782c4522, 0x7108c507, 0xce39b7c1, 0x102c0c25,
            0xcb6d2861,
        ],
        [
            0x2bcecdaa, 0xe3915075, 0x30fa3e03, 0xa496716e, 0x0d6d6ce4, 0x5c35e710, 0x24d9ef51,
            0x58d7614b,
        ],
    ),
    // 21G
    Affine::new(
        [
            0x67399e83, 0xfd76364e, 0xf42b1523, 0x3a582139, 0xb473bca5, 0x2e4ac86e, 0x86637c7b,
            0x3250fcf6,
        ],
        [
            0x71d48c09, 0x15de24a0, 0x3b566a82, 0x897cd3c3, 0x1d7eb88c, 0x97b3090d, 0x667d3593,
            0x42e7c342,
        ],
    ),
    // 23G
    Affine::new(
        [
            0x45ca7896, 0x672e5730, 0xdf64a4fe, 0x3c0bc0a5, 0xd4583fa6, 0xd28a3e39, 0x9c2640d7,
            0x0e91c723,
        ],
        [
            0x3140ad55, 0x13804654, 0x75e7a5ae, 0x7e688335, 0xb8e0bd6d, 0x1a22733b, 0x550dba22,
            0x5df65c3b,
        ],
    ),
    // 25G
    Affine::new(
        [
            0xf200d687, 0x84a4dc45, 0xb76f1b24, 0x41652fc5, 0x8c07fa84, 0x85f4f52d, 0x4b0c0bb6,
            0x3a67e255,
        ],
        [
            0x02f79324, 0xa9ed16b3, 0x35a7618a, 0x8c188af7, 0x163afb0d, 0x26daf267, 0x2f1fcf43,
            0x27d0f187,
        ],
    ),
    // 27G
    Affine::new(
        [
            0x3b0883d1, 0xf2e20117, 0x683e54ab, 0x576355bd, 0x4611f378, 0xdeba2fac, 0x19d80d51,
            0x184ffa58,
        ],
        [
            0x60906e6f, 0x20d242c2, 0x63f04916, 0x45bdeccc, 0x26cb9995, 0xa4c6d908, 0x6688f359,
            0xc0a66e27,
        ],
    ),
    // 29G
    Affine::new(
        [
            0x1c784def, 0xdedd693d, 0x88b58a41, 0xfd8cd1c6, 0x90853b8c, 0xa7c36da0, 0xfa195b07,
            0xd6d33ade,
        ],
        [
            0x93d1bca6, 0x550c1245, 0x4b95eded, 0x09a166ab, 0x558a5dcb, 0x3f78245f, 0xee195d7e,
            0x84aaba16,
        ],
    ),
    // 31G
    Affine::new(
        [
            0xa1b45b8b, 0x3e3f9aa0, 0x52a95b3e, 0xfac9db7d, 0xa7ae9aa0, 0xa85da026, 0x2dc7e05d,
            0x301d9e50,
        ],
        [
            0xa17ee267, 0xd58db6ae, 0x6887ca61, 0x298d9ae4, 0x6b017d72, 0xe0d23c02, 0xb3061223,
            0x6551b6f6,
        ],
    ),
    // 33G
    Affine::new(
        [
            0xcb2cd793, 0x65c100f3, 0x3aa872fd, 0xa03b0a53, 0x89d9d34e, 0xfa9aa25b, 0xfcd81356,
            0x9807d699,
        ],
        [
            0x79634af4, 0x2f6bf924, 0x6c587853, 0xffe630b9, 0x1d091b2f, 0x86a01a4d, 0xcab11bf2,
            0xc2a59cdc,
        ],
    ),
    // 35G
    Affine::new(
        [
            0x33bb291a, 0xa12d3890, 0x92af9700, 0x94e8e1fe, 0x326c48ca, 0x8ffa3ad7, 0x9ed27d16,
            0xd58d4a58,
        ],
        [
            0xf586b9d5, 0xa5b0c9c6, 0x3b034979, 0x67271c16, 0x2dc7fef6, 0x76ea9263, 0x02726b85,
            0xd45514d1,
        ],
    ),
    // 37G
    Affine::new(
        [
            0x502b3348, 0x73a92894, 0x246bfd44, 0xe0d21379, 0x11a826aa, 0xd6b09786, 0x6ddb817d,
            0x419a6a64,
        ],
        [
            0xb09214b2, 0xdb1d6c81, 0xf3dee1e2, 0x13c6d072, 0x954c2fd5, 0x545c9fb1, 0x1102f584,
            0x332544cf,
        ],
    ),
    // 39G
    Affine::new(
        [
            0xfb2776c4, 0xa0c199dd, 0xd2d138d4, 0x547b942d, 0xa179046e, 0x42014976, 0xc3996d4d,
            0x22a682f7,
        ],
        [
            0xcbaa285d, 0x5347f649, 0x0265b068, 0x979dcc31, 0x5a54356c, 0xb918c983, 0x102223ee,
            0x4f4606b0,
        ],
    ),
    // 41G
    Affine::new(
        [
            0x995d2fa2, 0x3a7de694, 0xd4175a59, 0x6067c5c3, 0xe6cfe8aa, 0x1cf258d2, 0x40dee065,
            0x67a6bec2,
        ],
        [
            0x441feed5, 0x49c24ce1, 0x209aca6c, 0x1542c7ee, 0x464d4499, 0x6c249b49, 0x22d13158,
            0xde692b70,
        ],
    ),
    // 43G
    Affine::new(
        [
            0x9b82d28d, 0x7544dc12, 0xd009b30f, 0x8f4bc4c6, 0x1d8f4b49, 0xd0423086, 0x6f1ff104,
            0x986ae250,
        ],
        [
            0x1bb07e97, 0x25110c44, 0x9c189f25, 0xd86fc628, 0x7d3c7b61, 0xe328a4d9, 0xa6460e0a,
            0x003cccc0,
        ],
    ),
    // 45G
    Affine::new(
        [
            0xfae0ba03, 0x79c78080, 0xdd29d6d9, 0x0f5f609e, 0xdff0672e, 0x3ecd0f5d, 0x70bde99b,
            0xa891d066,
        ],
        [
            0x166934ae, 0xefc3edc8, 0xfeb0f2cc, 0x1c6b38f0, 0x033c1ce7, 0x419a88c4, 0x2cbfa1c1,
            0xb596cd92,
        ],
    ),
    // 47G
    Affine::new(
        [
            0x7b1c0d7c, 0x51d68922, 0x3e19066d, 0xdd5b3158, 0x83071bbc, 0x595361ea, 0x48958708,
            0x42c315cc,
        ],
        [
            0xb2f9b1b9, 0xd6c4a72b, 0xeb87f164, 0x74f1a1e1, 0xbb7a7990, 0x2914d1df, 0x571b9585,
            0x649a61ce,
        ],
    ),
    // 49G
    Affine::new(
        [
            0xa5674455, 0x7d228ce6, 0x758fd4fd, 0x28fb7ea9, 0x866e6c05, 0xbb22b146, 0x98068875,
            0xf785b0e0,
        ],
        [
            0x10d62408, 0xe7bc490c, 0x5f3aa60a, 0x4b04b6fd, 0x0d9f5b41, 0xe15c767f, 0x6080da6e,
            0x73fdb0bf,
        ],
    ),
    // 51G
    Affine::new(
        [
            0x018e22b1, 0x044360f0, 0xe81008ff, 0x95f7eb56, 0x3c1d68bc, 0xaadee686, 0x4d9de43e,
            0x672c4a51,
        ],
        [
            0x91f37104, 0x99353991, 0x9704d941, 0x13624658, 0xace203f7, 0x611de5a4, 0x96a25bfe,
            0x548c7e91,
        ],
    ),
    // 53G
    Affine::new(
        [
            0x7449d036, 0xf126ec9f, 0x8de9b983, 0x982b1ca7, 0x54b88039, 0x5a478022, 0xc9d95245,
            0x6f01bd49,
        ],
        [
            0x989e17db, 0x360233dd, 0xc3749b08, 0xa78551bf, 0x608776ce, 0x11a0f21a, 0xf1d5deab,
            0x1562080f,
        ],
    ),
    // 55G
    Affine::new(
        [
            0xdf6e60a0, 0xdec1dff7, 0x62c1eada, 0xc2a595b7, 0xfe7fea2c, 0x7571a109, 0xa068c926,
            0x079dba7b,
        ],
        [
            0xb4824dea, 0xfb0da5ae, 0x5751a397, 0x83eb2df3, 0x2a9588ab, 0x1d223f9d, 0x43d4d181,
            0xdc1e19b7,
        ],
    ),
    // 57G
    Affine::new(
        [
            0xd0f56077, 0x8abd97b1, 0x2d6c6bd8, 0x289d406e, 0xea907f86, 0x126d45a8, 0xbb4d2865,
            0xc116e30e,
        ],
        [
            0xa410c206, 0x313fd7fd, 0x9e59c8c5, 0x7d5bd5e8, 0xb13b8765, 0xb8b16d9b, 0xc35b30c2,
            0xe9478823,
        ],
    ),
    // 59G
    Affine::new(
        [
            0x0faa4b45, 0xa2b6ea0e, 0x9e8dc8ec, 0xe5094111, 0xfca9bdf7, 0x765b2784, 0xfe0c6437,
            0x665f1a6f,
        ],
        [
            0x2b7f4ccf, 0x6e25a660, 0x81e215bc, 0x7dede5bf, 0xf7eac37f, 0x6e8cca29, 0x9ffd18c2,
            0x490e2ca4,
        ],
    ),
    // 61G
    Affine::new(
        [
            0x0d32af0e, 0x5939ac38, 0x8b724fd5, 0x3e7910a0, 0x8d990001, 0x2d3a6b3d, 0xedd3da9a,
            0x059ccb19,
        ],
        [
            0x97fe91d1, 0x928e1e3c, 0x3956cecd, 0x1621f7a3, 0x9345638e, 0xda65281b, 0xcad49159,
            0xbb6ad7ec,
        ],
    ),
    // 63G
    Affine::new(
        [
            0x5d8bdac1, 0x32a29082, 0x01a7cd38, 0xdf53c8af, 0x8acc7d8f, 0x2a1f28a0, 0x5bf5dc80,
            0x6a9501d8,
        ],
        [
            0x5f1ef1a3, 0x30aff53d, 0x697a6f35, 0xf8461b5c, 0x4a3c56a3, 0x81c6c6e4, 0x93473743,
            0xca640ad1,
        ],
    ),
];
